using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
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
    /// Idempotency keys stored in <typeparamref name="TContext"/>'s database (its model must call
    /// <see cref="IdempotencyModelBuilderExtensions.AddIdempotencyRecords"/>), kept for
    /// <see cref="IdempotencyOptions.Retention"/> and then removed by a background job.
    /// </summary>
    public static IHostApplicationBuilder AddIdempotency<TContext>(this IHostApplicationBuilder builder) where TContext : DbContext
    {
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<IdempotencyRecordCleanup<TContext>>();
        return builder;
    }

    /// <summary>Runs after authentication and authorization: keys belong to the signed-in caller.</summary>
    public static IApplicationBuilder UseIdempotency<TContext>(this IApplicationBuilder app) where TContext : DbContext =>
        app.UseMiddleware<IdempotencyMiddleware<TContext>>();

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
internal sealed class IdempotencyRecordCleanup<TContext>(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider timeProvider, ILogger<IdempotencyRecordCleanup<TContext>> logger)
    : PeriodicBackgroundService(timeProvider, logger) where TContext : DbContext
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var cutoff = TimeProvider.GetUtcNow() - options.Value.Retention;
        await scope.ServiceProvider.GetRequiredService<TContext>().Set<IdempotencyRecord>()
            .Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }
}
