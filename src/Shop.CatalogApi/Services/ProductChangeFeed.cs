using Npgsql;

namespace Shop.CatalogApi.Services;

/// <summary>
/// This replica's view of which products changed: one connection that LISTENs on <c>catalog_changes</c>
/// (filled by triggers on products, stock and categories when a write commits) and tells the product
/// cache what to drop. <see cref="CatchUpAsync"/> is what makes a committed write visible here at once:
/// it completes after a round trip on that connection that began after it was called, and Postgres sends
/// a listener every notification committed before a query ends before it answers the query. Concurrent
/// callers share one round trip, so under load it costs a fraction of a query per read.
/// </summary>
public sealed class ProductChangeFeed : BackgroundService
{
    public const string Channel = "catalog_changes";

    private static readonly TimeSpan IdleRoundTrip = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource dataSource;
    private readonly ProductCache cache;
    private readonly ILogger<ProductChangeFeed> logger;
    private readonly SemaphoreSlim requested = new(0);
    private readonly Lock gate = new();
    private TaskCompletionSource? next;

    public ProductChangeFeed(IConfiguration configuration, ProductCache cache, ILogger<ProductChangeFeed> logger)
    {
        this.cache = cache;
        this.logger = logger;
        var builder = new NpgsqlDataSourceBuilder(configuration.GetConnectionString("catalogdb"))
        {
            ConnectionStringBuilder = { Pooling = false, KeepAlive = 10 },
        };
        // The round trips are bookkeeping: one span each would cost more than the reads they serve.
        builder.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => false));
        dataSource = builder.Build();
    }

    /// <summary>
    /// Completes once every change committed before this call has reached the cache; throws when the
    /// feed cannot tell (the database is unreachable), and the caller must then read the database itself.
    /// </summary>
    public Task CatchUpAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (gate)
        {
            if (next is null)
            {
                next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                requested.Release();
            }

            task = next.Task;
        }

        return task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // With no reader waiting, a round trip now and then still drains the notifications.
                await requested.WaitAsync(IdleRoundTrip, stoppingToken);
                TaskCompletionSource? batch;
                lock (gate)
                {
                    batch = next;
                    next = null;
                }

                try
                {
                    connection ??= await ListenAsync(stoppingToken);
                    await using (var command = new NpgsqlCommand("SELECT 1", connection))
                    {
                        await command.ExecuteScalarAsync(stoppingToken);
                    }

                    batch?.TrySetResult();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Notifications may have been lost with the connection: nothing cached can be trusted.
                    cache.Clear();
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    Log.ProductChangeFeedFailed(logger, ex);
                    batch?.TrySetException(new ProductChangeFeedUnavailableException(ex));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            await dataSource.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, e) => cache.Forget(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        // Whatever changed while nobody listened is unknown.
        cache.Clear();
        return connection;
    }
}

public sealed class ProductChangeFeedUnavailableException(Exception inner)
    : Exception("The product change feed could not confirm it is up to date.", inner);
