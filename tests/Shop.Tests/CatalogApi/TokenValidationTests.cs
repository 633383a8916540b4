using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

/// <summary>
/// catalog-api validates user-api's tokens on its own, with keys fetched from user-api's JWKS: the same
/// forgeries user-api refuses, it refuses too.
/// </summary>
[Collection(ShopCollections.Catalog)]
public sealed class TokenValidationTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Theory]
    [MemberData(nameof(TokenForge.Forgeries), MemberType = typeof(TokenForge))]
    public async Task Forged_tokens_are_refused_by_catalog_api(Forgery forgery)
    {
        var token = await TokenForge.ForgeAsync(fixture, forgery);
        using var client = fixture.CreateClient("catalog-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{Guid.NewGuid()}/stock", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_genuine_customer_token_is_authenticated_by_catalog_api_and_only_lacks_the_role()
    {
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("catalog-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{Guid.NewGuid()}/stock", customer.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
