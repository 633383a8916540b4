using System.Net;
using System.Text.Json;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

/// <summary>
/// Calls to peers where every failure to get a usable answer (transport errors, timeouts, 5xx, a token
/// problem, a body that cannot be read) becomes <see cref="DependencyUnavailableException"/>: the one
/// exception a caller handles, by answering 503 before anything was promised or by waiting and asking again.
/// </summary>
internal static class UnavailableOnFailure
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

        if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new DependencyUnavailableException(service, $"it answered {status}");
        }

        return response;
    }

    /// <summary>
    /// Reads a JSON body. A body that breaks off (the peer died mid-answer), is not JSON, or is empty tells
    /// nothing about what the peer did: that is <see cref="DependencyUnavailableException"/> too, so the
    /// caller asks again later instead of failing.
    /// </summary>
    public static async Task<T> ReadAsync<T>(string service, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new DependencyUnavailableException(service, "it answered with an empty body");
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException or NotSupportedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DependencyUnavailableException(service, "its answer could not be read", ex);
        }
    }

    /// <summary>A success answer, read; anything else is an answer the caller has no meaning for.</summary>
    public static async Task<T> ReadSuccessAsync<T>(string service, HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? await ReadAsync<T>(service, response, cancellationToken)
            : throw new DependencyUnavailableException(service, $"it answered {(int)response.StatusCode}");
}
