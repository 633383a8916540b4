using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>
/// Keeps an executing request's lease on its key alive until disposed, so that a long request is never
/// mistaken for a dead one and executed a second time. Renews every third of the lease, each time in a
/// scope of its own (a request's DbContext is not thread-safe, and the request is using it). A renewal
/// that fails (the database briefly unreachable) is retried sooner rather than given up: one lost
/// renewal must not let a retry execute the request a second time while it still runs. Only a key
/// already taken over (possible only after its lease ran out) ends the renewals.
/// </summary>
internal sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private LeaseRenewal(IServiceScopeFactory scopes, OwnedKey key, TimeSpan lease, TimeProvider timeProvider, ILogger logger) =>
        _renewing = RenewAsync(scopes, key, lease, timeProvider, logger, _stop.Token);

    public static LeaseRenewal Start(IServiceScopeFactory scopes, OwnedKey key, TimeSpan lease, TimeProvider timeProvider, ILogger logger) =>
        new(scopes, key, lease, timeProvider, logger);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }

    private static async Task RenewAsync(IServiceScopeFactory scopes, OwnedKey key, TimeSpan lease, TimeProvider timeProvider, ILogger logger, CancellationToken stop)
    {
        var delay = lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(delay, timeProvider, stop);
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (!await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().TryRenewAsync(key, lease, stop))
                    {
                        IdempotencyLog.LostKey(logger, key.Key);
                        return;
                    }

                    delay = lease / 3;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    IdempotencyLog.RenewalFailed(logger, ex, key.Key);
                    delay = lease / 10;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}

internal static partial class IdempotencyLog
{
    [LoggerMessage(1, LogLevel.Warning, "Idempotency key {Key} was held by a request that never finished; a retry takes it over")]
    public static partial void TakenOver(ILogger logger, string key);

    [LoggerMessage(2, LogLevel.Warning, "Idempotency key {Key} was taken over while its request ran; that request's answer is not recorded")]
    public static partial void LostKey(ILogger logger, string key);

    [LoggerMessage(3, LogLevel.Warning, "Could not extend the lease of idempotency key {Key}; trying again shortly")]
    public static partial void RenewalFailed(ILogger logger, Exception exception, string key);
}
