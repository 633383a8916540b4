namespace Shop.UserApi.Model;

/// <summary>
/// Failed sign-ins for one email address, whether or not an account has it, so that lockout cannot be
/// used to find out which addresses are registered. Updated only by atomic SQL (see SignInThrottler).
/// </summary>
public sealed class SignInThrottle
{
    // For EF Core materialization.
    private SignInThrottle()
    {
    }

    public string NormalizedEmail { get; private set; } = null!;

    public int FailedAttempts { get; private set; }

    public DateTimeOffset WindowStartedAt { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }
}
