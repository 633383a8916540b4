using System.Security.Cryptography;
using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollection.Name)]
public sealed class TokenTests(ShopAppFixture fixture)
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
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = await first.Content.ReadFromJsonAsync<JsonElement>();
        var secondRefreshToken = rotated.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(user.RefreshToken, secondRefreshToken);
        using (var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", rotated.GetProperty("accessToken").GetString()!)))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // The first token is presented again: someone else holds it.
        using var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);

        // ... so the legitimate successor no longer works either.
        using var successor = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = secondRefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, successor.StatusCode);

        // Other sessions of the same account are untouched.
        var otherSession = await Accounts.SignInAsync(client, user.Email, user.Password);
        using var other = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = otherSession.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Two_concurrent_refreshes_with_one_token_cannot_both_succeed()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })));

        Assert.True(attempts.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1);
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

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var logout = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/logout", user.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        using var refresh = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Fact]
    public async Task Published_keys_hold_no_private_part_and_name_the_signing_key()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        var keySet = await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var configuration = await client.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        var keys = keySet.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Equal("EC", key.GetProperty("kty").GetString());
            Assert.Equal("P-256", key.GetProperty("crv").GetString());
            Assert.False(key.TryGetProperty("d", out _), "a published key must not contain the private part");
        });
        Assert.Contains(keys, key => key.GetProperty("kid").GetString() == TokenForge.KeyIdOf(user.AccessToken));
        Assert.Equal("shop-user-api", configuration.GetProperty("issuer").GetString());
        Assert.EndsWith("/.well-known/jwks.json", configuration.GetProperty("jwks_uri").GetString());
    }

    public static TheoryData<string> ForgeryKinds => ["tampered", "expired", "foreign-key", "foreign-key-same-kid", "wrong-audience", "wrong-issuer", "unsigned"];

    [Theory]
    [MemberData(nameof(ForgeryKinds))]
    public async Task Forged_tokens_are_refused_by_user_api(string kind)
    {
        var token = await ForgeAsync(fixture, kind);
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_genuine_token_minted_with_the_real_key_is_accepted_so_the_forgery_tests_are_meaningful()
    {
        var user = await fixture.SignUpAsync();
        var (keyId, key) = await TokenForge.ReadCurrentSigningKeyAsync(fixture);
        var token = TokenForge.Mint(key, keyId, user.Id, ["customer"], DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Rotation_publishes_the_new_key_first_then_signs_with_it_and_old_tokens_stay_valid()
    {
        var admin = await fixture.SignInAsAdminAsync();
        var before = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var rotate = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/keys/rotate", admin.AccessToken));
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var newKeyId = rotated.GetProperty("keyId").GetString();
        var activatesAt = rotated.GetProperty("activatesAt").GetDateTimeOffset();

        // Published at once, before any token uses it.
        var keyIds = (await client.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()).ToList();
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
    }

    [Fact]
    public async Task Customers_cannot_rotate_keys()
    {
        var user = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("user-api");

        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/auth/keys/rotate", user.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Builds a token that must be refused, of the given kind, for a real account.</summary>
    internal static async Task<string> ForgeAsync(ShopAppFixture fixture, string kind)
    {
        var user = await fixture.SignUpAsync();
        var (keyId, realKey) = await TokenForge.ReadCurrentSigningKeyAsync(fixture);
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return kind switch
        {
            "tampered" => TokenForge.GrantAdmin(user.AccessToken),
            // Expired well beyond the allowed clock skew (30 s).
            "expired" => TokenForge.Mint(realKey, keyId, user.Id, ["customer"], now.AddMinutes(-20), TimeSpan.FromMinutes(15)),
            "foreign-key" => TokenForge.Mint(foreignKey, "attacker-key", user.Id, ["customer", "admin"], now, TimeSpan.FromMinutes(5)),
            "foreign-key-same-kid" => TokenForge.Mint(foreignKey, keyId, user.Id, ["customer", "admin"], now, TimeSpan.FromMinutes(5)),
            "wrong-audience" => TokenForge.Mint(realKey, keyId, user.Id, ["customer"], now, TimeSpan.FromMinutes(5), audience: "another-shop"),
            "wrong-issuer" => TokenForge.Mint(realKey, keyId, user.Id, ["customer"], now, TimeSpan.FromMinutes(5), issuer: "https://evil.example"),
            "unsigned" => $"{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{user.AccessToken.Split('.')[1]}.",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
