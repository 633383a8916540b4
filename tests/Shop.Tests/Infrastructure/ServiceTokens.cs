namespace Shop.Tests.Infrastructure;

/// <summary>Service tokens from user-api's client-credentials endpoint, as order-api asks for them.</summary>
public static class ServiceTokens
{
    /// <summary>A token for order-api's service identity, the one payment-api and catalog-api accept for service calls.</summary>
    public static async Task<string> ServiceTokenAsync(this ShopAppFixture fixture)
    {
        using var client = fixture.CreateClient("user-api");
        using var response = await RequestAsync(client, "client_credentials", "order-api", await fixture.ParameterValueAsync("order-api-client-secret"));
        return (await response.ReadAsAsync<ServiceTokenView>()).AccessToken;
    }

    public static Task<HttpResponseMessage> RequestAsync(HttpClient userApi, string grantType, string clientId, string secret) =>
        userApi.PostAsync("/api/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
}
