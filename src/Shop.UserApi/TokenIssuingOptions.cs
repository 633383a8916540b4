using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>Lifetimes of what user-api issues: access, refresh and service tokens, and signing keys (section <c>Auth:Tokens</c>).</summary>
public sealed class TokenIssuingOptions
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
