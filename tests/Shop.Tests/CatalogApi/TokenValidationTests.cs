using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

/// <summary>
/// catalog-api validates user-api's tokens on its own, with keys fetched from user-api's JWKS: the same
/// forgeries user-api refuses, it refuses too.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class TokenValidationTests(ShopAppFixture fixture)
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

    [Fact]
    public async Task A_token_signed_with_a_rotated_key_is_accepted_by_catalog_api()
    {
        using var userApi = fixture.CreateClient("user-api");
        using var rotate = await userApi.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/keys/rotate", await fixture.AdminTokenAsync()));
        var rotated = await rotate.ReadAsAsync<SigningKeyRotatedView>();
        var wait = rotated.ActivatesAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

        var admin = await fixture.SignInAsAdminAsync();
        Assert.Equal(rotated.KeyId, TokenForge.KeyIdOf(admin.AccessToken));
        using var catalog = fixture.CreateClient("catalog-api");

        // In production a key is published ten minutes before it signs, longer than catalog-api's
        // five-minute key refresh; the test shortens that to seconds, so catalog-api may meet the key
        // first in this token, fetch the key set and accept it from then on.
        var status = HttpStatusCode.Unauthorized;
        for (var attempt = 0; attempt < 40 && status == HttpStatusCode.Unauthorized; attempt++)
        {
            using var response = await catalog.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{Guid.NewGuid()}/stock", admin.AccessToken));
            status = response.StatusCode;
            if (status == HttpStatusCode.Unauthorized)
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
