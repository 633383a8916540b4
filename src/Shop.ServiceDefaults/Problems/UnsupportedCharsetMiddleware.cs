using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Shop.ServiceDefaults.Problems;

/// <summary>
/// A body whose Content-Type names a charset no decoder exists for is refused with 415 before any
/// endpoint reads it. ASP.NET Core's JSON body reader throws a plain InvalidOperationException for it,
/// which would otherwise surface as a 500 for a client's mistake.
/// </summary>
internal sealed class UnsupportedCharsetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (context.Request.ContentType is { Length: > 0 } contentType
            && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.Charset is { Length: > 0 } charset
            && !IsKnown(charset.Value!))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status415UnsupportedMediaType,
                    Title = "Unsupported charset",
                    Detail = "Send the body in UTF-8 (Content-Type: application/json; charset=utf-8).",
                },
            }).AsTask();
        }

        return next(context);
    }

    /// <summary>The same test the framework's body reader makes: UTF-8, or an encoding .NET can decode.</summary>
    private static bool IsKnown(string charset)
    {
        var name = charset.Trim('"');
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            _ = Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
