using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class TokenTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Access_tokens_are_ES256_with_kid_issuer_audience_claims_and_a_15_minute_life()
    {
        var user = await fixture.SignUpAsync();

        var header = JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(user.AccessToken.Split('.')[0])).RootElement;
        var payload = TokenForge.PayloadOf(user.AccessToken);

        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal("shop-user-api", payload.GetProperty("iss").GetString());
        Assert.Equal("shop", payload.GetProperty("aud").GetString());
        Assert.Equal(user.Id.ToString(), payload.GetProperty("sub").GetString());
        Assert.Equal(user.Email, payload.GetProperty("email").GetString());
        Assert.Contains("customer", payload.GetProperty("role").ToString());
        Assert.Equal(15 * 60, payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task Refresh_rotates_and_reusing_an_old_token_revokes_the_whole_session()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var first = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        var rotated = await first.ReadAsAsync<TokenPairView>();
        var secondRefreshToken = rotated.RefreshToken;
        Assert.NotEqual(user.RefreshToken, secondRefreshToken);
        Assert.Equal(("Bearer", 15 * 60), (rotated.TokenType, rotated.ExpiresIn));
        using (var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", rotated.AccessToken)))
        {
            Assert.Equal(user.Id, (await me.ReadAsAsync<UserProfileView>()).Id);
        }

        // The first token is presented again: someone else holds it.
        using var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        await replay.ReadProblemAsync(HttpStatusCode.Unauthorized);

        // ... so the legitimate successor no longer works either.
        using var successor = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = secondRefreshToken });
        await successor.ReadProblemAsync(HttpStatusCode.Unauthorized);

        // Other sessions of the same account are untouched.
        var otherSession = await Accounts.SignInAsync(client, user.Email, user.Password);
        using var other = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = otherSession.RefreshToken });
        await other.ReadAsAsync<TokenPairView>();
    }

    [Fact]
    public async Task Two_concurrent_refreshes_with_one_token_cannot_both_succeed()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })));

        // One refresh wins the rotation; the other presents a token already used, which is refused (and, as
        // a replay, ends the session). Anything but 200 or 401, such as a 500 from the race, is a bug.
        Assert.All(attempts, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
        Assert.True(attempts.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1, string.Join(", ", attempts.Select(r => r.StatusCode)));
        foreach (var response in attempts)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("not-a-token", HttpStatusCode.Unauthorized)]
    public async Task Missing_and_unknown_refresh_tokens_are_refused(string token, HttpStatusCode expected)
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token });

        Assert.Equal((int)expected, (await response.ReadProblemAsync(expected)).Status);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", user.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal("Refresh token not accepted", (await refresh.ReadProblemAsync(HttpStatusCode.Unauthorized)).Title);
    }

    [Fact]
    public async Task Published_keys_hold_no_private_part_and_name_the_signing_key()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var keySetResponse = await client.GetAsync("/.well-known/jwks.json");
        var keySet = await keySetResponse.ReadAsAsync<KeySetView>();
        var configuration = await client.GetAsAsync<OpenIdConfigurationView>("/.well-known/openid-configuration");

        Assert.NotEmpty(keySet.Keys);
        Assert.All(keySet.Keys, key => Assert.Equal(("EC", "P-256", "sig", "ES256"), (key.Kty, key.Crv, key.Use, key.Alg)));
        // The private part is checked on the raw JSON: a typed view would not see a member it does not declare.
        var rawKeys = (await keySetResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keys").EnumerateArray();
        Assert.All(rawKeys, key => Assert.False(key.TryGetProperty("d", out _), "a published key must not contain the private part"));
        Assert.Contains(keySet.Keys, key => key.Kid == TokenForge.KeyIdOf(user.AccessToken));
        Assert.Equal("shop-user-api", configuration.Issuer);
        Assert.EndsWith("/.well-known/jwks.json", configuration.JwksUri);
    }

    [Theory]
    [MemberData(nameof(TokenForge.Forgeries), MemberType = typeof(TokenForge))]
    public async Task Forged_tokens_are_refused_by_user_api(Forgery forgery)
    {
        var token = await TokenForge.ForgeAsync(fixture, forgery);
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(401, (await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Status);
    }

    [Fact]
    public async Task A_genuine_token_minted_with_the_real_key_is_accepted_so_the_forgery_tests_are_meaningful()
    {
        var user = await fixture.SignUpAsync();
        var (keyId, key) = await TokenForge.ReadCurrentSigningKeyAsync(fixture);
        var token = TokenForge.Mint(key, keyId, user.Id, ["customer"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(user.Id, (await response.ReadAsAsync<UserProfileView>()).Id);
    }

    [Fact]
    public async Task Customers_cannot_rotate_keys()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/keys/rotate", user.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private sealed record KeySetView(IReadOnlyList<PublicKeyView> Keys);

    private sealed record PublicKeyView(string Kty, string Use, string Alg, string Kid, string Crv, string X, string Y);

    private sealed record OpenIdConfigurationView(string Issuer, [property: JsonPropertyName("jwks_uri")] string JwksUri);
}
