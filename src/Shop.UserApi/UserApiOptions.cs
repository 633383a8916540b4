using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>Lifetimes of what user-api issues (section <c>Auth:Tokens</c>).</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Auth:Tokens";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A signing key older than this is replaced by a new one (checked at start-up and hourly).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "365.00:00:00")]
    public TimeSpan SigningKeyRotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a new signing key is published before it signs: longer than the interval at which the
    /// other services re-read the key set (5 minutes), so none of them meets a key it has not seen.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SigningKeyActivationDelay { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// When repeated failed sign-ins lock an email address (section <c>Auth:Lockout</c>): after
/// <see cref="MaxFailedAttempts"/> failures within <see cref="Window"/>, the next attempt is refused for
/// <see cref="Duration"/>.
/// </summary>
public sealed class LockoutOptions
{
    public const string SectionName = "Auth:Lockout";

    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}

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

/// <summary>
/// The administrator account ensured at start-up (section <c>Auth:Admin</c>, set by the AppHost from its
/// parameters). When both are set, the account exists, is an admin, and has this password.
/// </summary>
public sealed class AdminAccountOptions : IValidatableObject
{
    public const string SectionName = "Auth:Admin";

    [EmailAddress]
    public string? Email { get; set; }

    [MinLength(10)]
    public string? Password { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Email) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Set both the admin email and password, or neither.", [nameof(Email), nameof(Password)]);
        }
    }
}

/// <summary>Services allowed to obtain service tokens: <c>Auth:Clients:{clientId}:Secret</c>.</summary>
public sealed class ServiceClientOptions
{
    public const string SectionName = "Auth";

    public Dictionary<string, ServiceClient> Clients { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ServiceClient
{
    [Required]
    [MinLength(16)]
    public string Secret { get; set; } = "";
}

/// <summary>
/// How user-api is reached from outside (section <c>Auth</c>): the base of the absolute URLs in its
/// discovery document. The AppHost sets it from user-api's endpoint; it is never taken from a request.
/// </summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "Auth";

    [Required]
    [Url]
    public string? PublicBaseUrl { get; set; }
}
