using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.WebUtilities;

namespace Shop.WebApp.Authentication;

/// <summary>
/// A page whose API call found the session ended (<see cref="SessionExpiredException"/>) signs the browser out and
/// sends it to the sign-in page, which says why and comes back to the page afterwards.
/// </summary>
public sealed class SessionExpiredMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (SessionExpiredException) when (!context.Response.HasStarted)
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            var returnUrl = HttpMethods.IsGet(context.Request.Method) ? context.Request.Path + context.Request.QueryString : "/";
            context.Response.Redirect(QueryHelpers.AddQueryString("/account/login", new Dictionary<string, string?>
            {
                ["returnUrl"] = returnUrl,
                ["expired"] = "true",
            }));
        }
    }
}
