using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.AppHost.Infrastructure;

/// <summary>
/// The shared infrastructure of Shop: one Postgres server with a database per service, one Redis, and one
/// RabbitMQ broker for the integration events.
/// Whichever mode provides them, the resource names and connection-string names are the same, so the
/// services cannot tell the modes apart.
/// </summary>
public sealed record ShopInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> UserDb,
    IResourceBuilder<IResourceWithConnectionString> CatalogDb,
    IResourceBuilder<IResourceWithConnectionString> OrderDb,
    IResourceBuilder<IResourceWithConnectionString> PaymentDb,
    IResourceBuilder<IResourceWithConnectionString> Cache,
    IResourceBuilder<IResourceWithConnectionString> Messaging);

public static class ShopInfrastructureExtensions
{
    public const string PostgresName = "postgres";
    public const string CacheName = "cache";
    public const string MessagingName = "messaging";

    /// <summary>
    /// Server settings for either mode. Postgres's default random_page_cost (4) models spinning disks;
    /// on SSDs and with the data in memory it made the planner scan 100,000 products rather than use
    /// the full-text index for a search (twice as slow, see bench/README.md). pg_stat_statements (part of
    /// Postgres, in Debian's package and the container image alike) keeps per-statement counts and times,
    /// which bench/ reads to say what a checkout costs the database; it is queryable once someone runs
    /// CREATE EXTENSION pg_stat_statements in a database, which the services never do.
    /// </summary>
    internal static readonly string[] PostgresSettings = ["-c", "random_page_cost=1.1", "-c", "shared_preload_libraries=pg_stat_statements"];

    public static ShopInfrastructure AddShopInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var options = InfrastructureOptions.From(builder.Configuration);
        var (mode, reason) = ChooseMode(builder, options);

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.AppHost.Infrastructure")
                .LogInformation("Infrastructure mode: {Mode} ({Reason})", mode, reason);
            return Task.CompletedTask;
        });

        if (mode == InfrastructureMode.Containers)
        {
            return AddContainers(builder);
        }

        try
        {
            return AddLocalProcesses(builder, options);
        }
        catch (DistributedApplicationException ex)
        {
            throw new DistributedApplicationException($"Infrastructure mode is local ({reason}). {ex.Message}", ex);
        }
    }

    private static (InfrastructureMode Mode, string Reason) ChooseMode(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        // What azd deploys is the container resources, whatever this machine has.
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (InfrastructureMode.Containers, "publish mode always uses containers");
        }

        if (options.Mode != InfrastructureMode.Auto)
        {
            return (options.Mode, "Infrastructure:Mode");
        }

        var probe = ContainerRuntimeProbe.Probe(builder.Configuration);
        return probe.Healthy
            ? (InfrastructureMode.Containers, $"auto: {probe.Detail}")
            : (InfrastructureMode.Local, $"auto: no healthy container runtime: {probe.Detail}");
    }

    private static ShopInfrastructure AddContainers(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres(PostgresName).WithDataVolume().WithArgs(PostgresSettings);
        var cache = builder.AddRedis(CacheName).WithDataVolume();
        var messaging = builder.AddRabbitMQ(MessagingName).WithDataVolume();
        if (builder.ExecutionContext.IsRunMode)
        {
            // The management UI (queues, dead letters, rates) for developers; not deployed.
            messaging.WithManagementPlugin();
        }

        return new ShopInfrastructure(
            postgres.AddDatabase("userdb"),
            postgres.AddDatabase("catalogdb"),
            postgres.AddDatabase("orderdb"),
            postgres.AddDatabase("paymentdb"),
            cache,
            messaging);
    }

    private static ShopInfrastructure AddLocalProcesses(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new DistributedApplicationException(
                "Local infrastructure mode runs Postgres, Redis and RabbitMQ as Linux or macOS processes. On Windows, start Docker Desktop " +
                "(Infrastructure:Mode=containers) or run the AppHost inside WSL.");
        }

        // Find every program first, so that a missing one fails the AppHost at once with what to install.
        var redisServer = LocalRedisBuilderExtensions.FindRedisServer(options.RedisServerPath);
        var postgresPrograms = LocalPostgresCluster.Locate(options);
        var rabbitMQServer = LocalRabbitMQBuilderExtensions.FindRabbitMQServer(options.RabbitMQServerPath);

        var dataRoot = ResolveDataRoot(builder, options);
        var cluster = LocalPostgresCluster.Create(postgresPrograms, dataRoot, options.Ephemeral);

        var postgres = builder.AddLocalPostgres(PostgresName, cluster);
        var cache = builder.AddLocalRedis(CacheName, redisServer, dataRoot);
        var messaging = builder.AddLocalRabbitMQ(MessagingName, rabbitMQServer, dataRoot);

        return new ShopInfrastructure(
            postgres.AddDatabase("userdb"),
            postgres.AddDatabase("catalogdb"),
            postgres.AddDatabase("orderdb"),
            postgres.AddDatabase("paymentdb"),
            cache,
            messaging);
    }

    private static string ResolveDataRoot(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        if (!options.Ephemeral)
        {
            return Path.GetFullPath(options.DataDirectory ?? DefaultDataRoot());
        }

        var parent = options.DataDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(parent);
        var dataRoot = Path.Combine(parent, $"shop-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataRoot);
        builder.Services.AddHostedService(services => new EphemeralDataCleanup(
            dataRoot,
            services.GetRequiredService<IHostApplicationLifetime>(),
            services.GetRequiredService<ILogger<EphemeralDataCleanup>>()));
        return dataRoot;
    }

    // Root's home is closed to the postgres account that runs the server, so root keeps the data in /var/lib.
    private static string DefaultDataRoot() => Environment.IsPrivilegedProcess
        ? "/var/lib/shop-aspire"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "shop-aspire");

    /// <summary>Deletes a throwaway data folder once every resource has stopped.</summary>
    private sealed class EphemeralDataCleanup(string dataRoot, IHostApplicationLifetime lifetime, ILogger<EphemeralDataCleanup> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStopped.Register(Delete);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        private void Delete()
        {
            for (var attempt = 1; Directory.Exists(dataRoot); attempt++)
            {
                try
                {
                    Directory.Delete(dataRoot, recursive: true);
                }
                catch (IOException) when (attempt < 5)
                {
                    // A server that is still exiting can add a file while the folder is deleted.
                    Thread.Sleep(200);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning(ex, "Could not delete the throwaway data folder {DataRoot}", dataRoot);
                    return;
                }
            }
        }
    }
}
