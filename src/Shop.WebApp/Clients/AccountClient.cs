using Shop.WebApp.Authentication;

namespace Shop.WebApp.Clients;

/// <summary>user-api as the signed-in user: profile, password and address book.</summary>
public sealed class AccountClient(HttpClient http, UserSession session) : ApiClient(http, session, "user-api")
{
    public Task<UserProfile> GetProfileAsync(CancellationToken cancellationToken) =>
        GetAsync<UserProfile>("/api/users/me", asUser: true, cancellationToken);

    public Task<ApiResult<UserProfile>> UpdateProfileAsync(string displayName, string? email, string? currentPassword, CancellationToken cancellationToken) =>
        RequestAsync<UserProfile>(HttpMethod.Put, "/api/users/me", new { displayName, email, currentPassword }, asUser: true, cancellationToken);

    public Task<ApiOutcome> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Put, "/api/users/me/password", new { currentPassword, newPassword }, cancellationToken);

    public Task<IReadOnlyList<Address>> GetAddressesAsync(CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<Address>>("/api/users/me/addresses", asUser: true, cancellationToken);

    public async Task<Address?> GetAddressAsync(Guid id, CancellationToken cancellationToken) =>
        await RequestAsync<Address>(HttpMethod.Get, $"/api/users/me/addresses/{id}", null, asUser: true, cancellationToken) switch
        {
            ApiResult<Address>.Ok ok => ok.Value,
            _ => null,
        };

    public Task<ApiResult<Address>> SaveAddressAsync(Guid? id, AddressRequest address, CancellationToken cancellationToken) =>
        id is { } existing
            ? RequestAsync<Address>(HttpMethod.Put, $"/api/users/me/addresses/{existing}", address, asUser: true, cancellationToken)
            : RequestAsync<Address>(HttpMethod.Post, "/api/users/me/addresses", address, asUser: true, cancellationToken);

    public Task<ApiOutcome> SetDefaultAddressAsync(Guid id, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, $"/api/users/me/addresses/{id}/default", null, cancellationToken);

    public Task<ApiOutcome> DeleteAddressAsync(Guid id, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Delete, $"/api/users/me/addresses/{id}", null, cancellationToken);
}
