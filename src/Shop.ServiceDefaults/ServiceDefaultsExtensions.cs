using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Problems;
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

    /// <summary>Comma-separated CIDR ranges of the proxies whose X-Forwarded-* headers are trusted, besides loopback.</summary>
    public const string KnownNetworksSetting = "ForwardedHeaders:KnownNetworks";

    /// <summary>What every API adds: <see cref="AddHostDefaults"/>, ProblemDetails, token validation and OpenAPI.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddHostDefaults();
        builder.AddDefaultProblemDetails();
        builder.AddShopAuthentication();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecuritySchemeTransformer>());
        return builder;
    }

    /// <summary>
    /// What every process of the system shares, the APIs and the web app alike: telemetry, health checks,
    /// service discovery with resilience on every HttpClient (and, when configured, injected faults below it),
    /// an injected clock and the trusted proxies' forwarded headers.
    /// </summary>
    public static TBuilder AddHostDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
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

        // Time comes from an injected clock (tests may replace it). AddValidation is not here: its source
        // generator registers the validators of the assembly that calls it, so each service calls it itself.
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Client addresses (rate limits, logs) come from X-Forwarded-For only when a trusted proxy sent it,
        // and only from the entry that proxy appended (ForwardLimit 1): entries before it were written by
        // the client. Trusted are loopback (Aspire's local proxies) and the networks listed in
        // ForwardedHeaders:KnownNetworks, which the AppHost sets when publishing (Container Apps' ingress).
        // UseServiceDefaults is the one pass over the headers: ASP.NET Core's own pass
        // (ASPNETCORE_FORWARDEDHEADERS_ENABLED) would run before it with every trust list cleared.
        if (builder.Configuration.GetValue<bool>("FORWARDEDHEADERS_ENABLED"))
        {
            throw new InvalidOperationException(
                "ASPNETCORE_FORWARDEDHEADERS_ENABLED is set: ASP.NET Core would process X-Forwarded-* headers a second time, trusting any " +
                $"sender, so clients could choose their address. Unset it; list the proxies' networks in {KnownNetworksSetting} instead.");
        }

        var knownNetworks = (builder.Configuration[KnownNetworksSetting] ?? "")
            .Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(System.Net.IPNetwork.Parse)
            .ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            foreach (var network in knownNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

        return builder;
    }

    /// <summary>
    /// The middleware every service runs first: the replica's name on every response (when configured),
    /// the real client address, errors as ProblemDetails, then authentication and authorization.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseHostDefaults();
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
        app.MapHealthEndpoints();
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference().AllowAnonymous();
        }

        return app;
    }

    /// <summary>
    /// The first middleware of a process that has no API of its own (the web app): the replica's name on every
    /// response (when configured) and the real client address.
    /// </summary>
    public static WebApplication UseHostDefaults(this WebApplication app)
    {
        app.UseInstanceHeader();
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>Readiness at /health and liveness at /alive, in every environment: Container Apps and Kubernetes probe them.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) })
            .DisableHttpMetrics()
            .AllowAnonymous();
        return app;
    }
}
