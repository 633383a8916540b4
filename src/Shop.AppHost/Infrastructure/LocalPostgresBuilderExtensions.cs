using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Shop.AppHost.Infrastructure;

public static partial class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds a Postgres server that runs as a local process on a loopback port chosen by the orchestrator
    /// (passed to Postgres through PGPORT). The cluster is created on first start; databases added with
    /// <see cref="AddDatabase"/> are created once the server answers its health check.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, LocalPostgresCluster cluster)
    {
        var passwordValue = cluster.GetOrCreatePassword();
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);
        var (command, args) = cluster.ServerCommandLine();
        var server = new LocalPostgresServerResource(name, command, cluster.DataRoot, password.Resource, cluster);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(ct));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, ct) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await cluster.EnsureInitializedAsync(passwordValue, logger, ct);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, ct) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            await using var connection = new NpgsqlConnection(MaintenanceConnectionString(connectionString));
            await connection.OpenAsync(ct);
            foreach (var database in builder.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
            {
                await CreateDatabaseIfMissingAsync(connection, database.DatabaseName, ct);

                // The orchestrator passes state on to children of containers only, so a database of a
                // process-based server says it is running itself; WaitFor(database) depends on it.
                await notifications.PublishUpdateAsync(database, state => state with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => MaintenanceConnectionString(connectionString), name: healthCheckKey);

        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT")
            .WithArgs(args.ToArray())
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, [ResourceName] string name, string? databaseName = null)
    {
        databaseName ??= name;
        if (!DatabaseNamePattern().IsMatch(databaseName))
        {
            throw new ArgumentException($"'{databaseName}' is not a plain lower-case Postgres database name.", nameof(databaseName));
        }

        var database = new LocalPostgresDatabaseResource(name, databaseName, server.Resource);
        server.Resource.AddDatabase(name, databaseName);

        string? connectionString = null;
        server.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, ct) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(ct));

        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, server.Resource.Name)],
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static string MaintenanceConnectionString(string? serverConnectionString) =>
        (serverConnectionString ?? throw new InvalidOperationException("The Postgres connection string is not available yet."))
        + ";Database=postgres";

    private static async Task CreateDatabaseIfMissingAsync(NpgsqlConnection connection, string databaseName, CancellationToken ct)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = databaseName } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; the name was checked against DatabaseNamePattern.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created concurrently: what we wanted.
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();
}
