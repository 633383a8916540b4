using System.Net;
using Shop.OrderApi.Contracts;

namespace Shop.OrderApi.Clients;

/// <summary>
/// user-api, called with the customer's own token (<see cref="ForwardCallerTokenHandler"/>): order-api sees
/// only the addresses the customer can see.
/// </summary>
public sealed class UserClient(HttpClient http)
{
    private const string Service = "user-api";

    /// <summary>One of the caller's saved addresses; null when it is not one of theirs.</summary>
    public async Task<AddressInput?> GetAddressAsync(Guid addressId, CancellationToken cancellationToken)
    {
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.GetAsync($"/api/users/me/addresses/{addressId}", cancellationToken), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await UnavailableOnFailure.ReadSuccessAsync<AddressInput>(Service, response, cancellationToken);
    }
}
