namespace Shop.UserApi;

/// <summary>Business events of user-api. Never a password, a token or a full email address.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Account {UserId} registered")]
    public static partial void UserRegistered(ILogger logger, Guid userId);

    [LoggerMessage(2, LogLevel.Information, "Account {UserId} signed in")]
    public static partial void SignedIn(ILogger logger, Guid userId);

    [LoggerMessage(3, LogLevel.Warning, "Sign-in locked after repeated failures for the email with fingerprint {EmailFingerprint}")]
    public static partial void SignInLockedOut(ILogger logger, string emailFingerprint);

    [LoggerMessage(4, LogLevel.Information, "Password hash of account {UserId} upgraded to the current format")]
    public static partial void PasswordRehashed(ILogger logger, Guid userId);

    [LoggerMessage(5, LogLevel.Warning, "A rotated refresh token of account {UserId} was presented again; session {SessionId} revoked")]
    public static partial void RefreshTokenReused(ILogger logger, Guid userId, Guid sessionId);

    [LoggerMessage(6, LogLevel.Information, "Signing key {KeyId} created and published; it signs new tokens from {ActivatesAt:o}")]
    public static partial void SigningKeyCreated(ILogger logger, string keyId, DateTimeOffset activatesAt);

    [LoggerMessage(7, LogLevel.Information, "Administrator account {UserId} ensured")]
    public static partial void AdminAccountEnsured(ILogger logger, Guid userId);

    [LoggerMessage(8, LogLevel.Warning, "Client credentials refused for client '{ClientId}'")]
    public static partial void ClientRefused(ILogger logger, string clientId);

    [LoggerMessage(9, LogLevel.Information, "Roles of account {UserId} set to {Roles} by {AdminId}")]
    public static partial void RolesChanged(ILogger logger, Guid userId, string roles, Guid adminId);

    [LoggerMessage(10, LogLevel.Warning, "Redis did not count a request for rate limit {Key}; this replica limits it on its own until Redis answers")]
    public static partial void SharedRateLimitUnavailable(ILogger logger, Exception exception, string key);

    [LoggerMessage(11, LogLevel.Information, "Account {UserId} deleted at its owner's request")]
    public static partial void UserDeleted(ILogger logger, Guid userId);
}
