using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Shop.ServiceDefaults;

/// <summary>
/// When <see cref="Setting"/> is on (the AppHost turns it on when it runs the system, never when it
/// publishes it, as it discloses internals), every response names the replica that produced it, so a
/// developer or a test can see requests spread over the replicas. Off, nothing is added to the pipeline.
/// </summary>
internal sealed class InstanceHeaderMiddleware
{
    public const string Setting = "Diagnostics:InstanceHeader";
    public const string HeaderName = "X-Shop-Instance";

    private readonly RequestDelegate _next;
    private readonly Func<object, Task> _addHeader;

    public InstanceHeaderMiddleware(RequestDelegate next, string instance)
    {
        _next = next;
        var value = new StringValues(instance);
        _addHeader = state =>
        {
            ((HttpContext)state).Response.Headers[HeaderName] = value;
            return Task.CompletedTask;
        };
    }

    // Added as the response starts, not now: the exception handler clears the headers before it writes
    // its 500, and that response should name its replica too.
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(_addHeader, context);
        return _next(context);
    }

    /// <summary>
    /// The replica's name as the Aspire dashboard shows it (<c>catalog-api-abcdefgh</c>): the service name
    /// and the instance id that the orchestrator gives each replica for OpenTelemetry. Elsewhere, the
    /// host's name (a Container Apps replica's own) and the process id.
    /// </summary>
    public static string InstanceName(IConfiguration configuration)
    {
        var service = configuration["OTEL_SERVICE_NAME"];
        var instanceId = (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "")
            .Split(',', StringSplitOptions.TrimEntries)
            .Select(attribute => attribute.Split('=', 2, StringSplitOptions.TrimEntries))
            .FirstOrDefault(pair => pair is ["service.instance.id", { Length: > 0 }])?[1];
        return service is { Length: > 0 } && instanceId is not null
            ? $"{service}-{instanceId}"
            : $"{Environment.MachineName}-{Environment.ProcessId}";
    }
}

internal static class InstanceHeaderExtensions
{
    /// <summary>Names the replica on every response when <see cref="InstanceHeaderMiddleware.Setting"/> is on.</summary>
    public static WebApplication UseInstanceHeader(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(InstanceHeaderMiddleware.Setting))
        {
            app.UseMiddleware<InstanceHeaderMiddleware>(InstanceHeaderMiddleware.InstanceName(app.Configuration));
        }

        return app;
    }
}
