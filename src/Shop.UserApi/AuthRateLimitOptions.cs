using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>Per client address limits on the endpoints that take passwords (section <c>Auth:RateLimits</c>).</summary>
public sealed class AuthRateLimitOptions
{
    public const string SectionName = "Auth:RateLimits";

    /// <summary>Sign-in, refresh, client credentials and password checks, per <see cref="Window"/>.</summary>
    [Range(1, 100_000)]
    public int SignInPermitLimit { get; set; } = 20;

    [Range(1, 100_000)]
    public int RegistrationPermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
