using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Shop.ServiceDefaults.Resilience;

namespace Shop.ServiceDefaults.Problems;

/// <summary>A peer or store this request needs did not answer: 503 with Retry-After, never a 500.</summary>
internal sealed class DependencyUnavailableExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken) =>
        exception is DependencyUnavailableException unavailable
            ? ProblemResponse.WriteAsync(problems, httpContext, exception, StatusCodes.Status503ServiceUnavailable,
                "A service this request needs is unavailable", $"{unavailable.Service} did not answer. Nothing was changed; try again shortly.", retryLater: true)
            : ValueTask.FromResult(false);
}
