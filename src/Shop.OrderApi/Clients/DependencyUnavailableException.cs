namespace Shop.OrderApi.Clients;

/// <summary>
/// A service the order needs did not answer usefully (down, timed out, circuit open, or a 5xx after
/// the resilience handler's retries). Whether the call took effect is unknown; the saga waits and asks
/// again, which every callee makes safe by being idempotent.
/// </summary>
public sealed class DependencyUnavailableException(string service, string message, Exception? inner = null)
    : Exception($"{service} is unavailable: {message}", inner)
{
    public string Service { get; } = service;
}

internal static class HttpCalls
{
    /// <summary>Runs a call, turning transport failures, timeouts and server errors into <see cref="DependencyUnavailableException"/>.</summary>
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

        if ((int)response.StatusCode >= 500 || response.StatusCode is System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new DependencyUnavailableException(service, $"it answered {status}");
        }

        return response;
    }
}
