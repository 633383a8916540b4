using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults;

/// <summary>
/// A background job that runs every <see cref="Interval"/> for the life of the service (sweepers,
/// recovery, housekeeping). A failed run is logged and the next one comes at the next tick: one bad
/// run never stops the job.
/// </summary>
public abstract class PeriodicBackgroundService(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    protected TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>Time between runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether to run once at start-up rather than wait for the first tick.</summary>
    protected virtual bool RunAtStart => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider);
        if (RunAtStart)
        {
            await RunSafelyAsync(stoppingToken);
        }

        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunSafelyAsync(stoppingToken);
        }
    }

    private async Task RunSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Job} failed; it runs again in {Interval}", GetType().Name, Interval);
        }
    }
}
