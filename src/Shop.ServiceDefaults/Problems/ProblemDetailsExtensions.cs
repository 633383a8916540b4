using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.ServiceDefaults.Resilience;

namespace Shop.ServiceDefaults.Problems;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error a client sees is an RFC 9457 ProblemDetails with the trace id, so a support request
    /// can be matched to its trace. Each kind of exception that is not a server error has its own
    /// <see cref="Microsoft.AspNetCore.Diagnostics.IExceptionHandler"/>; the database's own kinds register
    /// with the database (<see cref="DatabaseExtensions.AddServiceDatabase{TContext}"/>).
    /// </summary>
    public static TBuilder AddDefaultProblemDetails<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}";
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyUnavailableExceptionHandler>();

        // Minimal APIs report unreadable requests by throwing BadHttpRequestException, which
        // BadRequestExceptionHandler turns into a 4xx ProblemDetails with the reason.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        return builder;
    }

    public static WebApplication UseDefaultProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A client's bad request, or a peer's outage (logged where it is met), is not a server error
            // worth an error log with a stack trace.
            SuppressDiagnosticsCallback = context =>
                context.Exception is BadHttpRequestException or DependencyUnavailableException || UnstorableTextExceptionHandler.Matches(context.Exception),
        });
        app.UseStatusCodePages();
        app.UseMiddleware<UnsupportedCharsetMiddleware>();
        return app;
    }
}
