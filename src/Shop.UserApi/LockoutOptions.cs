using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

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
