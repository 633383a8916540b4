using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Shop.ServiceDefaults.Idempotency;

/// <summary>Marks an endpoint whose requests must carry an Idempotency-Key.</summary>
public sealed class IdempotentEndpointMetadata;

public static class IdempotencyEndpointExtensions
{
    /// <summary>
    /// Idempotency keys stored in <typeparamref name="TContext"/>'s database (this adds their table to its
    /// model), kept for <see cref="IdempotencyOptions.Retention"/> and then removed by a background job.
    /// Call after the context is registered; <see cref="UseIdempotency"/> adds the middleware.
    /// </summary>
    public static IHostApplicationBuilder AddIdempotency<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The table joins the context's model through EF's model customizer, after the context's own
        // OnModelCreating, so the service's DbContext names none of it. Singleton: a pooled context's
        // options are built once, from the root provider.
        builder.Services.ConfigureDbContext<TContext>(options => options.WithIdempotencyRecords(), ServiceLifetime.Singleton);
        builder.Services.AddScoped(services => new IdempotencyStore(services.GetRequiredService<TContext>()));
        builder.Services.AddHostedService<IdempotencyRecordCleanup>();
        return builder;
    }

    /// <summary>
    /// Adds the idempotency records to the model of a context built by hand (a test, a tool), as
    /// <see cref="AddIdempotency{TContext}"/> does for the service's own registration: its migrations create the table.
    /// </summary>
    public static TBuilder WithIdempotencyRecords<TBuilder>(this TBuilder options) where TBuilder : DbContextOptionsBuilder
    {
        options.ReplaceService<IModelCustomizer, IdempotencyModelCustomizer>();
        return options;
    }

    /// <summary>Runs after authentication and authorization: keys belong to the signed-in caller.</summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<IServiceProviderIsService>()?.IsService(typeof(IdempotencyStore)) != true)
        {
            throw new InvalidOperationException("UseIdempotency needs builder.AddIdempotency<TContext>(), which names the database that keeps the keys.");
        }

        return app.UseMiddleware<IdempotencyMiddleware>();
    }

    public static TBuilder RequireIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(
            new IdempotentEndpointMetadata(),
            new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        if (builder is RouteHandlerBuilder routeHandler)
        {
            routeHandler.AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyHeaders.Key,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "A unique key per intended operation; a retry with the same key and request returns the first response.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyRecord.KeyMaxLength },
                });
                return Task.CompletedTask;
            });
        }

        return builder;
    }
}

/// <summary>Removes keys older than the retention period, hourly.</summary>
internal sealed class IdempotencyRecordCleanup(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider timeProvider, ILogger<IdempotencyRecordCleanup> logger)
    : PeriodicBackgroundService(timeProvider, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var cutoff = TimeProvider.GetUtcNow() - options.Value.Retention;
        await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().DeleteCreatedBeforeAsync(cutoff, cancellationToken);
    }
}
