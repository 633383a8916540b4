using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Makes the tokens an attacker (or a clock) would present: signed by user-api's real key but expired,
/// signed by a key user-api never had, or genuine but with an edited payload.
/// </summary>
public static class TokenForge
{
    /// <summary>user-api's current signing key, read from its database as only an insider could.</summary>
    public static async Task<(string KeyId, ECDsa Key)> ReadCurrentSigningKeyAsync(ShopAppFixture fixture)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("userdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, private_key FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC LIMIT 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), "user-api has no signing key");
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey((byte[])reader["private_key"], out _);
        return ((string)reader["id"], key);
    }

    public static string Mint(
        ECDsa key, string keyId, Guid subject, string[] roles, DateTimeOffset issuedAt, TimeSpan lifetime,
        string issuer = "shop-user-api", string audience = "shop")
    {
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject.ToString(),
                ["role"] = roles,
                ["sid"] = Guid.NewGuid().ToString(),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The same token with <c>admin</c> added to its roles and the original signature kept.</summary>
    public static string GrantAdmin(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["role"] = new JsonArray("customer", "admin");
        parts[1] = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return string.Join('.', parts);
    }

    public static string KeyIdOf(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;

    public static JsonElement PayloadOf(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1])).RootElement;

    public static TheoryData<Forgery> Forgeries => [.. Enum.GetValues<Forgery>()];

    /// <summary>Builds a token of the given forgery for a real account; every service must refuse it.</summary>
    public static async Task<string> ForgeAsync(ShopAppFixture fixture, Forgery forgery)
    {
        var user = await fixture.SignUpAsync();
        var (keyId, realKey) = await ReadCurrentSigningKeyAsync(fixture);
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return forgery switch
        {
            Forgery.Tampered => GrantAdmin(user.AccessToken),
            // Expired well beyond the allowed clock skew (30 s).
            Forgery.Expired => Mint(realKey, keyId, user.Id, ["customer"], now.AddMinutes(-20), TimeSpan.FromMinutes(15)),
            Forgery.ForeignKey => Mint(foreignKey, "attacker-key", user.Id, ["customer", "admin"], now, TimeSpan.FromMinutes(5)),
            Forgery.ForeignKeySameKid => Mint(foreignKey, keyId, user.Id, ["customer", "admin"], now, TimeSpan.FromMinutes(5)),
            Forgery.WrongAudience => Mint(realKey, keyId, user.Id, ["customer"], now, TimeSpan.FromMinutes(5), audience: "another-shop"),
            Forgery.WrongIssuer => Mint(realKey, keyId, user.Id, ["customer"], now, TimeSpan.FromMinutes(5), issuer: "https://evil.example"),
            Forgery.Unsigned => $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{user.AccessToken.Split('.')[1]}.",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery), forgery, null),
        };
    }
}

/// <summary>The ways a token can be forged that a service must see through.</summary>
public enum Forgery
{
    /// <summary>A genuine token with <c>admin</c> added to its roles and the original signature kept.</summary>
    Tampered,
    Expired,
    /// <summary>Signed by a key user-api never had, under a key id it does not publish.</summary>
    ForeignKey,
    /// <summary>Signed by a key user-api never had, under the key id of its real key.</summary>
    ForeignKeySameKid,
    WrongAudience,
    WrongIssuer,
    /// <summary><c>alg: none</c> and no signature.</summary>
    Unsigned,
}
