using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;

namespace Shop.WebApp;

/// <summary>
/// A form whose anti-forgery token no longer fits the browser (signed in or out, or as someone else, in another tab since
/// the form was shown), or that carries none (a post from another site), is not processed. Instead of the framework's bare 400, which a status-code page would re-execute as
/// the same POST, the browser is sent (303, so it comes as a GET) to a page that says nothing was sent and links back.
/// Runs after UseAntiforgery, which validates the token and records the verdict; the form's own handler never runs.
/// </summary>
public sealed class ExpiredFormMiddleware(RequestDelegate next, ILogger<ExpiredFormMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: false } verdict)
        {
            return next(context);
        }

        Log.FormExpired(logger, context.Request.Path, verdict.Error);
        // Pages post their forms to their own address, which is where "back" goes; the sign-out endpoint has no page.
        var page = context.Request.Path.StartsWithSegments("/account/logout") ? "/" : LocalUrl.OrHome(context.Request.Path + context.Request.QueryString);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = QueryHelpers.AddQueryString("/form-expired", "returnUrl", page);
        return Task.CompletedTask;
    }
}
