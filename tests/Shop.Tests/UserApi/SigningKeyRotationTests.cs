using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

/// <summary>
/// Rotating user-api's signing key changes which key signs every token issued after it, for every test
/// running meanwhile: with the tests' 2-second activation delay (production: 10 minutes, longer than any
/// service's key-set refresh) an API can meet the new key in a token before it has fetched it. So these
/// tests run alone, and end only once every API accepts tokens signed with the new key.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class SigningKeyRotationTests(ShopAppFixture fixture) : DisruptiveTest
{
    [Fact]
    public async Task Rotation_publishes_the_new_key_first_then_signs_with_it_and_old_tokens_stay_valid()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var before = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var rotate = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/keys/rotate", admin.AccessToken));
        var (newKeyId, activatesAt) = await rotate.ReadAsAsync<SigningKeyRotatedView>();

        // Published at once, before any token uses it.
        var keyIds = (await client.GetAsAsync<KeySetView>("/.well-known/jwks.json")).Keys.Select(k => k.Kid).ToList();
        Assert.Contains(newKeyId, keyIds);
        Assert.Contains(TokenForge.KeyIdOf(before.AccessToken), keyIds);

        var wait = activatesAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait + TimeSpan.FromMilliseconds(200));
        }

        var after = await Accounts.SignInAsync(client, before.Email, before.Password);
        Assert.Equal(newKeyId, TokenForge.KeyIdOf(after.AccessToken));
        Assert.NotEqual(TokenForge.KeyIdOf(before.AccessToken), newKeyId);

        foreach (var token in new[] { before.AccessToken, after.AccessToken })
        {
            using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        await fixture.UntilEveryApiAcceptsAsync(after.AccessToken);
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
        await fixture.UntilEveryApiAcceptsAsync(admin.AccessToken);
    }

    private sealed record KeySetView(IReadOnlyList<KeyView> Keys);

    private sealed record KeyView(string Kid);
}
