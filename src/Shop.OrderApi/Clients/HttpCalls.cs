using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

internal static class HttpCalls
{
    /// <summary>
    /// Runs a call, turning transport failures, timeouts, server errors and authentication failures
    /// (a token problem is not the order's fault, and may pass) into <see cref="DependencyUnavailableException"/>.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(string service, Func<Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DependencyUnavailableException(service, ex.Message, ex);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode is System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests
            or System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new DependencyUnavailableException(service, $"it answered {status}");
        }

        return response;
    }
}
