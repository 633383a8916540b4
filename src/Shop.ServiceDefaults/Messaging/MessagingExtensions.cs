using System.Reflection;
using JasperFx.CodeGeneration;
using JasperFx.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Shop.IntegrationEvents;
using Shop.ServiceDefaults.Resilience;
using Wolverine;
using Wolverine.EntityFrameworkCore;
using Wolverine.ErrorHandling;
using Wolverine.Persistence;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Integration events between the services, through Wolverine over RabbitMQ (the <c>messaging</c> resource).
/// A service publishes from the same EF Core transaction as the change (the outbox tables live in its own
/// database, schema <see cref="Schema"/>), a consumer records every message it receives before handling it
/// (the inbox: a redelivered message has one effect), a handler that keeps failing is retried with growing
/// pauses and then parked in the dead-letter table of its database, where it can be listed and replayed.
/// </summary>
public static class MessagingExtensions
{
    public const string ConnectionName = "messaging";

    /// <summary>The Postgres schema of Wolverine's inbox, outbox, dead-letter and node tables in each service's database.</summary>
    public const string Schema = "wolverine";

    /// <summary>
    /// Messages of one queue handled at once by one replica. The handlers wait on the database, not the CPU, and are
    /// order-independent (each is idempotent and keeps the newest or claims once), so this is well above Wolverine's
    /// default (the number of cores, at least 5), which kept order-api at ~170 events/s (bench/README.md).
    /// </summary>
    public const int ParallelHandlers = 20;

    /// <summary>Pauses between the attempts of a failing handler before its message is dead-lettered.</summary>
    public static readonly TimeSpan[] RetryPauses = [1.Seconds(), 5.Seconds(), 15.Seconds()];

    /// <summary>Pauses between the attempts of a handler whose database is unreachable.</summary>
    public static readonly TimeSpan[] TransientRetryPauses = [5.Seconds(), 15.Seconds(), 30.Seconds(), 1.Minutes(), 2.Minutes(), 5.Minutes(), 10.Minutes()];

    /// <summary>
    /// Sets up messaging for the service <paramref name="serviceName"/> (its resource name) whose database is
    /// <typeparamref name="TContext"/> (registered before this call, so that handlers can take it as a parameter).
    /// What it publishes and consumes is read from <see cref="EventRoutes"/>; its handlers are the public
    /// <c>…Handler</c> classes of the service's assembly. <see cref="EventOutbox{TContext}"/> saves changes with
    /// the events they raised.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TContext>(
        this IHostApplicationBuilder builder, string databaseConnectionName, string serviceName)
        where TContext : DbContext
    {
        var broker = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"The connection string '{ConnectionName}' (the message broker) is missing.");
        var database = builder.Configuration.GetConnectionString(databaseConnectionName)
            ?? throw new InvalidOperationException($"The connection string '{databaseConnectionName}' is missing.");

        builder.UseWolverine(options =>
        {
            options.ServiceName = builder.Environment.ApplicationName;
            options.ApplicationAssembly = Assembly.GetEntryAssembly();

            // Failed messages go to the database's dead-letter table (listed and replayed there), not to a
            // RabbitMQ dead-letter queue; no request/reply queues, since services never call each other by message.
            var rabbit = options.UseRabbitMq(new Uri(broker))
                .AutoProvision()
                .DisableDeadLetterQueueing()
                .DisableSystemRequestReplyQueueDeclaration();
            DeclareRoutes(options, rabbit, serviceName);

            options.PersistMessagesWithPostgresql(database, Schema);
            // Lightweight: Aspire's Npgsql integration retries failed commands (EnableRetryOnFailure), which
            // rules out a transaction opened around a handler; the outbox rows are saved by SaveChanges itself,
            // mapped into the service's model by MapMessagingTables.
            options.UseEntityFrameworkCoreTransactions(TransactionMiddlewareMode.Lightweight);
            options.Policies.AutoApplyTransactions();
            options.Policies.UseDurableOutboxOnAllSendingEndpoints();
            options.Policies.UseDurableInboxOnAllListeners();
            // Retries are scheduled (kept in the inbox table until due), not slept through, so a message that
            // keeps failing never holds up the ones behind it; after the last one it is a dead letter. Wolverine
            // takes the first rule that matches, so the specific ones come first. The service's own database
            // unreachable (a restart, a failover), or a store or peer it needs away (Redis for carts), is no fault
            // of the message, nor is a row changed meanwhile: it waits much longer before it becomes a dead letter,
            // so an outage does not need every message replayed.
            options.Policies.OnException(IsTransient).ScheduleRetry(TransientRetryPauses).Then.MoveToErrorQueue();
            options.Policies.OnAnyException().ScheduleRetry(RetryPauses).Then.MoveToErrorQueue();

            // Handler code generated ahead of time and compiled into the service (`dotnet run -- codegen write`
            // in the service's folder writes Internal/Generated; a handler changed without it fails the start-up
            // with MissingPreBuiltTypesException). Roslyn at run time cost ~120 MB per service (bench/README.md).
            options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
        });
        builder.Services.AddScoped<EventOutbox<TContext>>();

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource("Wolverine"))
            .WithMetrics(metrics => metrics.AddMeter("Wolverine:*"));
        return builder;
    }

    /// <summary>
    /// A failure that goes away by waiting: something the handler needs is away for now (a transient database error,
    /// also as the cause of EF Core's retries running out; a store or peer that could not answer), or a row the
    /// handler saves was changed meanwhile (handled again, it works on what that change left).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or DependencyUnavailableException or DbUpdateConcurrencyException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Maps Wolverine's inbox and outbox tables into the service's model, so that SaveChanges writes the outbox.</summary>
    public static ModelBuilder MapMessagingTables(this ModelBuilder modelBuilder)
    {
        modelBuilder.MapWolverineEnvelopeStorage(Schema);
        return modelBuilder;
    }

    /// <summary>
    /// An exchange per event (fan-out, named after its wire name) with a durable queue per consumer bound to it,
    /// declared alike by the publisher and every consumer; the service publishes its events to their exchanges
    /// and listens on its own queues, which its replicas share.
    /// </summary>
    private static void DeclareRoutes(WolverineOptions options, RabbitMqTransportExpression rabbit, string serviceName)
    {
        foreach (var route in EventRoutes.All.Where(r => r.Publisher == serviceName || r.Consumers.Contains(serviceName)))
        {
            foreach (var consumer in route.Consumers)
            {
                rabbit.BindExchange(route.WireName).ToQueue(route.QueueOf(consumer));
            }

            if (route.Publisher == serviceName)
            {
                options.PublishMessage(route.Event).ToRabbitExchange(route.WireName);
            }

            if (route.Consumers.Contains(serviceName))
            {
                options.ListenToRabbitQueue(route.QueueOf(serviceName)).MaximumParallelMessages(ParallelHandlers);
            }
        }
    }
}
