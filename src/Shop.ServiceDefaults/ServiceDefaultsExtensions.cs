using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Resilience;

namespace Shop.ServiceDefaults;

/// <summary>
/// What every Shop service shares: telemetry, health checks, service discovery with resilience on every
/// HttpClient (and, when configured, injected faults below it), ProblemDetails for every error, token validation and policies, and OpenAPI.
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
        builder.AddHttpChaos();

        builder.AddDefaultProblemDetails();
        builder.AddShopAuthentication();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecuritySchemeTransformer>());

        // Client addresses (rate limits, logs) come from X-Forwarded-For when a trusted proxy sent it:
        // loopback by default (Aspire's local proxies); Container Apps' ingress is trusted through
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED, which the AppHost sets when publishing.
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);

        return builder;
    }

    /// <summary>
    /// The middleware every service runs first: the real client address, errors as ProblemDetails,
    /// then authentication and authorization.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseDefaultProblemDetails();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Health endpoints (in every environment: Container Apps and Kubernetes probe them), the OpenAPI
    /// document at /openapi/v1.json, and the Scalar UI in Development.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .DisableHttpMetrics()
            .AllowAnonymous();

        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }
}
