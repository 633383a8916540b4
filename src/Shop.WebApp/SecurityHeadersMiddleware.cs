namespace Shop.WebApp;

/// <summary>
/// Headers every page and asset gets: no framing by any site (clickjacking of the one-click forms: cancel an order, mark
/// shipped), no content-type sniffing, and no full URLs (with order ids and cursors) in the Referer sent to other sites.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpContext)state).Response.Headers;
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
