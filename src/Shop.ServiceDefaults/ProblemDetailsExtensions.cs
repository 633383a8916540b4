using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Shop.ServiceDefaults.Resilience;

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

            switch (context.Exception)
            {
                // A request the server could not read (malformed JSON, a wrong type in a route value) is
                // the client's mistake: say what was wrong, as the framework words it.
                case BadHttpRequestException badRequest:
                    context.ProblemDetails.Detail ??= badRequest.Message;
                    break;
                case not null when IsUnstorableText(context.Exception):
                    context.ProblemDetails.Detail ??= "Text may not contain the NUL character (\\u0000).";
                    break;
                case DependencyUnavailableException unavailable:
                    context.ProblemDetails.Title = "A service this request needs is unavailable";
                    context.ProblemDetails.Detail ??= $"{unavailable.Service} did not answer. Nothing was changed; try again shortly.";
                    context.HttpContext.Response.Headers.RetryAfter = "5";
                    break;
                case not null when IsDatabaseUnavailable(context.Exception):
                    context.ProblemDetails.Title = "The service's database is unavailable";
                    context.ProblemDetails.Detail ??= "Try again shortly.";
                    context.HttpContext.Response.Headers.RetryAfter = "5";
                    break;
            }
        });

        // Minimal APIs report unreadable requests by throwing BadHttpRequestException, which the
        // exception handler turns into a 4xx ProblemDetails with the reason (see UseDefaultProblemDetails).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.Converters.Add(new NoNulCharacterStringConverter()));

        return builder;
    }

    public static WebApplication UseDefaultProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException badRequest => badRequest.StatusCode,
                DependencyUnavailableException => StatusCodes.Status503ServiceUnavailable,
                _ when IsUnstorableText(exception) => StatusCodes.Status400BadRequest,
                _ when IsDatabaseUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            // A client's bad request, or a peer's outage (logged where it is met), is not a server error
            // worth an error log with a stack trace.
            SuppressDiagnosticsCallback = context =>
                context.Exception is BadHttpRequestException or DependencyUnavailableException || IsUnstorableText(context.Exception),
        });
        app.UseStatusCodePages();
        app.UseMiddleware<UnsupportedCharsetMiddleware>();
        return app;
    }

    /// <summary>
    /// Postgres cannot store U+0000 in text (SQLSTATE 22021). Bodies are checked when read (see
    /// <see cref="NoNulCharacterStringConverter"/>); a NUL in a query string or route value is caught
    /// here, when Postgres refuses it, and is a 400 rather than a 500.
    /// </summary>
    private static bool IsUnstorableText(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The service's own database could not be reached or is shutting down (connection refused or broken,
    /// a timeout, Postgres restarting: Npgsql calls these transient, and EF Core wraps them once its
    /// retries are spent). A 503 with Retry-After, like a peer that is down, rather than a 500.
    /// </summary>
    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Refuses strings with a NUL character in request bodies: no service can store them.</summary>
    private sealed class NoNulCharacterStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0')
                ? throw new JsonException("Text may not contain the NUL character (\\u0000).")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
