using System.Net.Http.Headers;

namespace Shop.OrderApi.Clients;

/// <summary>
/// Sends the caller's own bearer token on to the peer, so the peer sees exactly what the customer may
/// see (user-api: only the customer's own addresses). For clients used inside a customer's request only.
/// </summary>
public sealed class ForwardCallerTokenHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = httpContextAccessor.HttpContext?.Request.Headers.Authorization.ToString();
        if (AuthenticationHeaderValue.TryParse(authorization, out var header) && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Authorization = header;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
