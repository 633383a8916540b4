using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Shop.ServiceDefaults.Problems;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Shop.ServiceDefaults;

public static class DatabaseExtensions
{
    internal const string MigrationsActivitySourceName = "Shop.Migrations";

    /// <summary>
    /// The service's own Postgres database: a pooled DbContext through Aspire's Npgsql integration
    /// (retries, tracing, metrics) with snake_case names, a readiness check, and its migrations applied
    /// at start-up followed by the optional idempotent <paramref name="seed"/>.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed = null)
        where TContext : DbContext
    {
        builder.AddNpgsqlDbContext<TContext>(
            connectionName,
            // Readiness gets its own check below: the integration's check opens a connection through the
            // DbContext with the retrying execution strategy and the 15 s connect timeout, so an
            // unreachable database would hold each probe open far longer than any probe waits.
            settings =>
            {
                settings.DisableHealthChecks = true;
                settings.ConnectionString = WithStatementReuse(settings.ConnectionString);
            },
            options => options.UseSnakeCaseNamingConvention());

        var probeConnectionString = new NpgsqlConnectionStringBuilder(builder.Configuration.GetConnectionString(connectionName))
        {
            Timeout = 2,
            CommandTimeout = 2,
            Pooling = false,
        }.ConnectionString;
        builder.Services.AddHealthChecks().AddNpgSql(probeConnectionString, name: connectionName);

        builder.Services.AddHostedService(services => new MigrationHostedService<TContext>(services, seed));

        // What Postgres refuses or cannot answer is a 4xx or a 503, not a 500.
        builder.Services.AddExceptionHandler<UnstorableTextExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new NoNulCharacterStringConverter()));
        return builder;
    }

    /// <summary>
    /// Lets a pooled connection keep what Postgres prepared for it. By default Npgsql resets every pooled
    /// connection with DISCARD ALL before its next use, which also throws away prepared statements, so each
    /// statement was parsed and planned again on every request (12 resets per checkout in order-api alone).
    /// The services keep no session state (no SET, no temporary tables; the only session lock, the
    /// migration lock, is released explicitly and its connection dropped from the pool if that fails), so
    /// the reset bought nothing. Statements used twice are then prepared once per connection.
    /// </summary>
    internal static string? WithStatementReuse(string? connectionString) =>
        connectionString is null
            ? null
            : new NpgsqlConnectionStringBuilder(connectionString)
            {
                NoResetOnClose = true,
                MaxAutoPrepare = 100,
                AutoPrepareMinUsages = 2,
            }.ConnectionString;

    /// <summary>True when the save broke a unique index: a duplicate that a concurrent request inserted first.</summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>True when the save referred to a row that a concurrent request deleted (or that never existed).</summary>
    public static bool IsForeignKeyViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation };

    /// <summary>
    /// Applies pending migrations while holding a session advisory lock on the connection they run on,
    /// so that replicas starting together take turns and the second finds nothing left to apply. (EF
    /// Core's own migration lock did not stop two replicas creating the same table here; a test runs
    /// this concurrently to keep it honest.)
    /// </summary>
    public static async Task MigrateExclusivelyAsync(this DbContext context, CancellationToken cancellationToken)
    {
        var lockKey = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(context.GetType().FullName!)));
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            try
            {
                await context.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                try
                {
                    await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", CancellationToken.None);
                }
                catch
                {
                    // Pooled connections are not reset (WithStatementReuse): one still holding the lock must never
                    // be handed out again, or the next replica's migrations would wait for it forever.
                    NpgsqlConnection.ClearPool((NpgsqlConnection)context.Database.GetDbConnection());
                    throw;
                }
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Applies the checked-in migrations before the server accepts requests (so /health stays red until
    /// the schema is current), then seeds. Both run under the context's execution strategy, so a database
    /// that is still starting is retried, and under an advisory lock, so replicas starting together
    /// apply each migration once.
    /// </summary>
    private sealed class MigrationHostedService<TContext>(
        IServiceProvider services,
        Func<TContext, IServiceProvider, CancellationToken, Task>? seed) : IHostedService
        where TContext : DbContext
    {
        private static readonly ActivitySource ActivitySource = new(MigrationsActivitySourceName);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            using var activity = ActivitySource.StartActivity($"Migrate {typeof(TContext).Name}");
            await using var scope = services.CreateAsyncScope();
            var logger = scope.ServiceProvider.GetRequiredService<ILogger<TContext>>();
            var context = scope.ServiceProvider.GetRequiredService<TContext>();
            var strategy = context.Database.CreateExecutionStrategy();

            var started = Stopwatch.GetTimestamp();
            await strategy.ExecuteAsync(ct => context.MigrateExclusivelyAsync(ct), cancellationToken);
            if (seed is not null)
            {
                await strategy.ExecuteAsync(ct => seed(context, scope.ServiceProvider, ct), cancellationToken);
            }

            logger.LogInformation("Database of {Context} is current ({ElapsedMs:0} ms)", typeof(TContext).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
