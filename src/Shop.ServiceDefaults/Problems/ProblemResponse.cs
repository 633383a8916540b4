using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.Problems;

/// <summary>Writes the ProblemDetails answer to an exception an <see cref="Microsoft.AspNetCore.Diagnostics.IExceptionHandler"/> recognised.</summary>
internal static class ProblemResponse
{
    /// <summary>Seconds a client should wait before retrying after an outage.</summary>
    public const string RetryAfterSeconds = "5";

    public static ValueTask<bool> WriteAsync(
        IProblemDetailsService problems, HttpContext context, Exception exception, int status, string? title, string detail, bool retryLater = false)
    {
        context.Response.StatusCode = status;
        if (retryLater)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
        }

        return problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>The first exception in the chain of <paramref name="exception"/> and its inner exceptions that matches.</summary>
    public static bool Any(Exception exception, Func<Exception, bool> match)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (match(current))
            {
                return true;
            }
        }

        return false;
    }
}
