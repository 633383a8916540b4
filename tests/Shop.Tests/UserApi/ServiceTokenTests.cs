using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class ServiceTokenTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_service_with_its_secret_gets_a_short_lived_service_token()
    {
        var secret = await fixture.ParameterValueAsync("order-api-client-secret");
        using var client = fixture.CreateClient("user-api");

        using var response = await ServiceTokens.RequestAsync(client, "client_credentials", "order-api", secret);

        var token = await response.ReadAsAsync<ServiceTokenView>();
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(300, token.ExpiresIn);
        var payload = TokenForge.PayloadOf(token.AccessToken);
        Assert.Equal("order-api", payload.GetProperty("sub").GetString());
        Assert.Equal("service", payload.GetProperty("role")[0].GetString());
    }

    [Theory]
    [InlineData("wrong-secret-of-enough-length")]
    [InlineData("")]
    public async Task A_wrong_secret_gets_no_token(string secret)
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await ServiceTokens.RequestAsync(client, "client_credentials", "order-api", secret);

        Assert.Equal("invalid_client", (await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Error);
    }

    [Fact]
    public async Task An_unknown_client_gets_no_token_even_with_a_real_secret()
    {
        var secret = await fixture.ParameterValueAsync("order-api-client-secret");
        using var client = fixture.CreateClient("user-api");

        using var response = await ServiceTokens.RequestAsync(client, "client_credentials", "no-such-client", secret);

        Assert.Equal("invalid_client", (await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Error);
    }

    [Fact]
    public async Task Other_grants_are_refused()
    {
        var secret = await fixture.ParameterValueAsync("order-api-client-secret");
        using var client = fixture.CreateClient("user-api");

        using var response = await ServiceTokens.RequestAsync(client, "password", "order-api", secret);

        Assert.Equal("unsupported_grant_type", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Error);
    }

    [Fact]
    public async Task A_service_token_is_not_a_customer_token()
    {
        var token = await fixture.ServiceTokenAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
