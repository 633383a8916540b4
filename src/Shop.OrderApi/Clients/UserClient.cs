using System.Net;
using System.Net.Http.Headers;
using Shop.OrderApi.Contracts;

namespace Shop.OrderApi.Clients;

/// <summary>user-api, called with the customer's own token: order-api sees only the addresses the customer can see.</summary>
public sealed class UserClient(HttpClient http)
{
    public async Task<AddressInput?> GetAddressAsync(Guid addressId, string customerAccessToken, CancellationToken cancellationToken)
    {
        using var response = await HttpCalls.SendAsync("user-api", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"/api/users/me/addresses/{addressId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", customerAccessToken);
            return http.SendAsync(request, cancellationToken);
        }, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return await HttpCalls.ReadSuccessAsync<AddressInput>("user-api", response, cancellationToken);
    }
}
