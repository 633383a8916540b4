using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

/// <summary>
/// catalog-api checks a token's signature once and remembers it (ServiceDefaults'
/// CachingJsonWebTokenHandler); what a remembered token still has to pass, it passes on every request:
/// an expired one is refused, and a forgery built from a remembered token is not taken for it. That a
/// revoked session's token is refused though every service validated it before is
/// SessionRevocationTests' After_logout_the_old_access_token_is_refused_by_every_service.
/// </summary>
[Collection(ShopCollections.Catalog)]
public sealed class CachedTokenTests(ShopAppFixture fixture) : SharedSystemTest
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_token_catalog_api_validated_before_is_refused_once_it_expires()
    {
        // Signed with user-api's real key (as only user-api could) for a fresh account, whose tokens no
        // other test makes stale; past its expiry, but within the clock skew for a few more seconds.
        var account = await fixture.SignUpAsync();
        var (keyId, key) = await TokenForge.ReadCurrentSigningKeyAsync(fixture);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(-22);
        var token = TokenForge.Mint(key, keyId, account.Id, ["customer", "admin"], expiresAt.AddMinutes(-1), TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.NotFound, await StatusOnceAcceptedAsync(token));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(token));

        var wait = expiresAt + ClockSkew + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(token));
    }

    [Fact]
    public async Task Another_signature_or_an_edited_payload_is_refused_while_the_genuine_token_is_remembered()
    {
        var customer = await fixture.SignUpAsync();
        Assert.Equal(HttpStatusCode.Forbidden, await StatusOnceAcceptedAsync(customer.AccessToken));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(customer.AccessToken));

        using var userApi = fixture.CreateClient("user-api");
        var another = await Accounts.SignInAsync(userApi, customer.Email, customer.Password);
        var genuine = customer.AccessToken;
        var otherSignature = $"{genuine[..genuine.LastIndexOf('.')]}{another.AccessToken[another.AccessToken.LastIndexOf('.')..]}";

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(otherSignature));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(TokenForge.GrantAdmin(genuine)));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(genuine));
    }

    /// <summary>An admin endpoint: 404 for an unknown product means an admin's token passed, 403 a customer's.</summary>
    private async Task<HttpStatusCode> StatusAsync(string accessToken)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/products/{Guid.NewGuid()}/stock", accessToken));
        return response.StatusCode;
    }

    /// <summary>
    /// The status once catalog-api accepts the token: tests rotate user-api's key with a 2-second
    /// activation delay, so catalog-api may meet a key it has not fetched yet (it fetches it then, at
    /// most every 5 s).
    /// </summary>
    private async Task<HttpStatusCode> StatusOnceAcceptedAsync(string accessToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(7);
        while (true)
        {
            var status = await StatusAsync(accessToken);
            if (status != HttpStatusCode.Unauthorized || DateTimeOffset.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
