namespace Shop.WebApp.Clients;

/// <summary>
/// Tells user-api whose request this is: its sign-in and registration limits count per client address, and without the
/// browser's address every customer of the shop would share the web app's one. user-api believes the header only from a
/// proxy it trusts (loopback here, the environment's network in Container Apps), as this app is.
/// </summary>
public sealed class ForwardClientAddressHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (httpContextAccessor.HttpContext?.Connection.RemoteIpAddress is { } address)
        {
            request.Headers.Remove("X-Forwarded-For");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
        }

        return base.SendAsync(request, cancellationToken);
    }
}
