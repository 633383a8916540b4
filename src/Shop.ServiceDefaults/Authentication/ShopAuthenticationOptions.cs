using System.ComponentModel.DataAnnotations;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>What every service checks in an access token (section <c>Auth</c>). user-api issues with the same values.</summary>
public sealed class ShopAuthenticationOptions
{
    public const string SectionName = "Auth";

    [Required]
    public string Issuer { get; set; } = "shop-user-api";

    [Required]
    public string Audience { get; set; } = "shop";

    /// <summary>How far clocks may disagree when checking lifetimes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the public signing keys are published; resolved through service discovery.</summary>
    [Required]
    public string JwksUri { get; set; } = "https+http://user-api/.well-known/jwks.json";
}
