using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.Problems;

/// <summary>
/// A request the server could not read (malformed JSON, a wrong type in a route value, a body too large):
/// the client's mistake, a 4xx that says what was wrong, as the framework words it.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        exception is BadHttpRequestException badRequest
            ? ProblemResponse.WriteAsync(problems, httpContext, exception, badRequest.StatusCode, title: null, badRequest.Message)
            : ValueTask.FromResult(false);
}
