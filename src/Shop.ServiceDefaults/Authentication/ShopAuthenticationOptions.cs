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

    /// <summary>
    /// How often each service re-reads every revocation from Redis, besides hearing of each one at once
    /// through pub/sub: the bound on how late a revocation can take effect when a message is missed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RevocationResyncInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a revocation is kept: at least the longest access-token lifetime user-api can be
    /// configured with (1 hour) plus the clock skew, so it outlives every token it refuses.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RevocationRetention { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>
    /// How many validated access tokens each service remembers, so that a token seen before skips the
    /// signature check (see <see cref="CachingJsonWebTokenHandler"/>): the bound on that cache's memory,
    /// about 7 KB per token (so at most ~35 MB by default). Tokens beyond it are checked in full.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 5_000;

    /// <summary>
    /// Where user-api publishes the public signing keys, e.g. <c>https+http://user-api/.well-known/jwks.json</c>
    /// (resolved through service discovery). The AppHost passes it; a service that fetches the keys does
    /// not start without it. user-api checks its own tokens against its key store and needs none.
    /// </summary>
    public string JwksUri { get; set; } = "";
}
