using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace Shop.ServiceDefaults;

/// <summary>
/// What every Shop service shares: telemetry, health checks, service discovery with resilience on every
/// HttpClient, ProblemDetails for every error, and OpenAPI.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        // Liveness is the process alone; readiness (/health) adds the checks that Aspire's database and
        // Redis integrations register for what the service really uses.
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.AddDefaultProblemDetails();
        builder.Services.AddOpenApi();

        return builder;
    }

    /// <summary>The middleware every service runs first: errors become ProblemDetails.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseDefaultProblemDetails();
        return app;
    }

    /// <summary>
    /// Health endpoints (in every environment: Container Apps and Kubernetes probe them), the OpenAPI
    /// document at /openapi/v1.json, and the Scalar UI in Development.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .DisableHttpMetrics();

        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
