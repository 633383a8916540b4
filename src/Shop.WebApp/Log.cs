namespace Shop.WebApp;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "user-api refused to refresh a session ({Status}); the browser is signed out")]
    public static partial void RefreshRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "user-api did not refresh a session now ({Status}); the session is kept")]
    public static partial void RefreshPostponed(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-out could not be reported to user-api ({Status}); the browser is signed out")]
    public static partial void SignOutNotReported(ILogger logger, int? status, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "An administrator changed the roles of a signed-in account; its session ends and it signs in again")]
    public static partial void RolesChanged(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A session's refresh lock could not be released; it expires by itself")]
    public static partial void RefreshLockNotReleased(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The open page of order {OrderId} stopped following it")]
    public static partial void OrderWatchStopped(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} could not answer ({Status}); the page asks to try again")]
    public static partial void ServiceUnavailable(ILogger logger, string service, int? status, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "A form posted to {Path} had an anti-forgery token that no longer fits the browser; it was not processed")]
    public static partial void FormExpired(ILogger logger, string path, Exception? exception);
}
