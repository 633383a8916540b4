using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error a client sees is an RFC 9457 ProblemDetails with the trace id, so a support request
    /// can be matched to its trace.
    /// </summary>
    public static TBuilder AddDefaultProblemDetails<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}";
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);

            // A request the server could not read (malformed JSON, a wrong type in a route value) is the
            // client's mistake: say what was wrong, as the framework words it.
            if (context.Exception is BadHttpRequestException badRequest)
            {
                context.ProblemDetails.Detail ??= badRequest.Message;
            }
        });

        // Minimal APIs report unreadable requests by throwing BadHttpRequestException, which the
        // exception handler turns into a 4xx ProblemDetails with the reason (see UseDefaultProblemDetails).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

        return builder;
    }

    public static WebApplication UseDefaultProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException badRequest
                ? badRequest.StatusCode
                : StatusCodes.Status500InternalServerError,
            // A client's bad request is not a server error worth an error log with a stack trace.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        return app;
    }
}
