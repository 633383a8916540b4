using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollection.Name)]
public sealed class ServiceTokenTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_service_with_its_secret_gets_a_short_lived_service_token()
    {
        var secret = await fixture.ParameterValueAsync("order-api-client-secret");
        using var client = fixture.CreateClient("user-api");

        using var response = await RequestTokenAsync(client, "client_credentials", "order-api", secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        var payload = TokenForge.PayloadOf(body.GetProperty("access_token").GetString()!);
        Assert.Equal("order-api", payload.GetProperty("sub").GetString());
        Assert.Equal("service", payload.GetProperty("role")[0].GetString());
    }

    [Theory]
    [InlineData("order-api", "wrong-secret-of-enough-length")]
    [InlineData("no-such-client", "{secret}")]
    [InlineData("order-api", "")]
    public async Task A_wrong_secret_or_unknown_client_gets_no_token(string clientId, string secret)
    {
        if (secret == "{secret}")
        {
            secret = await fixture.ParameterValueAsync("order-api-client-secret");
        }

        using var client = fixture.CreateClient("user-api");

        using var response = await RequestTokenAsync(client, "client_credentials", clientId, secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Other_grants_are_refused()
    {
        var secret = await fixture.ParameterValueAsync("order-api-client-secret");
        using var client = fixture.CreateClient("user-api");

        using var response = await RequestTokenAsync(client, "password", "order-api", secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_service_token_is_not_a_customer_token()
    {
        var token = await ServiceTokenAsync(fixture);
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public static async Task<string> ServiceTokenAsync(ShopAppFixture fixture)
    {
        using var client = fixture.CreateClient("user-api");
        using var response = await RequestTokenAsync(client, "client_credentials", "order-api", await fixture.ParameterValueAsync("order-api-client-secret"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string grantType, string clientId, string secret) =>
        client.PostAsync("/api/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
}
