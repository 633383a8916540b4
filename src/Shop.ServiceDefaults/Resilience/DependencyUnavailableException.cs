namespace Shop.ServiceDefaults.Resilience;

/// <summary>
/// A service this one needs did not answer usefully (down, timed out, circuit open, a 5xx after the
/// resilience handler's retries, or an answer that cannot be read). Whether the call took effect is
/// unknown. Where nothing has been promised yet, the caller gets a 503 with Retry-After; a saga waits
/// and asks again, which the callees make safe by being idempotent.
/// </summary>
public sealed class DependencyUnavailableException(string service, string message, Exception? inner = null)
    : Exception($"{service} is unavailable: {message}", inner)
{
    public string Service { get; } = service;
}
