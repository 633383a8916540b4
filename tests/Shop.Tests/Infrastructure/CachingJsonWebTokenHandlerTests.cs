using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The cache of validated tokens skips the signature check of a token seen before, and nothing else: a
/// hit is refused once the token expires by the service's clock or its key is no longer trusted, a
/// different signature is a different token, and each hit gets claims of its own. A hit is recognised by
/// the validated token it returns: the very object the first validation produced.
/// </summary>
public sealed class CachingJsonWebTokenHandlerTests : IDisposable
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly ECDsaSecurityKey _key = NewKey("key-1");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CachingJsonWebTokenHandler _handler;

    public CachingJsonWebTokenHandlerTests() => _handler = NewHandler(cacheSize: 100);

    public void Dispose() => _handler.Dispose();

    [Fact]
    public async Task A_token_seen_before_is_accepted_from_the_cache_with_claims_of_its_own()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));

        var first = await _handler.ValidateTokenAsync(token, Trusting(_key));
        var second = await _handler.ValidateTokenAsync(token, Trusting(_key));
        second.ClaimsIdentity.AddClaim(new Claim("added-by", "a request"));
        var third = await _handler.ValidateTokenAsync(token, Trusting(_key));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.True(third.IsValid);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.Same(first.SecurityToken, third.SecurityToken);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.Null(third.ClaimsIdentity.FindFirst("added-by"));
        Assert.Equal(Claims(first.ClaimsIdentity), Claims(third.ClaimsIdentity));
        Assert.Equal("customer", third.ClaimsIdentity.FindFirst(ShopClaims.Role)?.Value);
    }

    [Fact]
    public async Task A_different_signature_or_an_edited_payload_is_refused_while_the_genuine_token_is_cached()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));
        Assert.True((await _handler.ValidateTokenAsync(token, Trusting(_key))).IsValid);

        var otherSignature = WithSignatureOf(token, Mint(_key, lifetime: TimeSpan.FromMinutes(15)));
        var editedPayload = TokenForge.GrantAdmin(token);

        foreach (var forged in new[] { otherSignature, editedPayload, otherSignature })
        {
            var result = await _handler.ValidateTokenAsync(forged, Trusting(_key));
            Assert.False(result.IsValid);
            Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
        }

        Assert.True((await _handler.ValidateTokenAsync(token, Trusting(_key))).IsValid);
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_the_clock_passes_its_expiry_and_the_clock_skew()
    {
        var lifetime = TimeSpan.FromMinutes(5);
        var token = Mint(_key, lifetime);
        var first = await _handler.ValidateTokenAsync(token, Trusting(_key));
        Assert.True(first.IsValid);
        var expiresAt = new DateTimeOffset(first.SecurityToken.ValidTo, TimeSpan.Zero);

        _clock.SetUtcNow(expiresAt + ClockSkew);
        var lastMoment = await _handler.ValidateTokenAsync(token, Trusting(_key));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var tooLate = await _handler.ValidateTokenAsync(token, Trusting(_key));

        Assert.True(lastMoment.IsValid);
        Assert.Same(first.SecurityToken, lastMoment.SecurityToken);
        Assert.False(tooLate.IsValid);
        var expired = Assert.IsType<SecurityTokenExpiredException>(tooLate.Exception);
        Assert.Equal(first.SecurityToken.ValidTo, expired.Expires);
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_its_key_is_removed_from_the_trusted_keys()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));
        var successor = NewKey("key-2");
        // Each call passes new key objects, as user-api's key store does whenever it re-reads its keys.
        var first = await _handler.ValidateTokenAsync(token, Trusting(_key, successor));
        var second = await _handler.ValidateTokenAsync(token, Trusting(_key, successor));

        var afterRemoval = await _handler.ValidateTokenAsync(token, Trusting(successor));

        Assert.True(first.IsValid);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.False(afterRemoval.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(afterRemoval.Exception);
    }

    [Fact]
    public async Task A_cached_token_is_refused_once_the_key_set_it_was_fetched_with_no_longer_holds_its_key()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));
        var successor = NewKey("key-2");
        var published = new StaticConfigurationManager<OpenIdConnectConfiguration>(KeySet(_key, successor));
        var first = await _handler.ValidateTokenAsync(token, Fetching(published));
        var second = await _handler.ValidateTokenAsync(token, Fetching(published));

        var afterRemoval = await _handler.ValidateTokenAsync(token, Fetching(new StaticConfigurationManager<OpenIdConnectConfiguration>(KeySet(successor))));

        Assert.True(first.IsValid);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.False(afterRemoval.IsValid);
    }

    [Fact]
    public async Task A_key_set_read_again_with_the_same_keys_keeps_the_cached_tokens()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));
        var first = await _handler.ValidateTokenAsync(token, Fetching(new StaticConfigurationManager<OpenIdConnectConfiguration>(KeySet(_key))));

        var reread = await _handler.ValidateTokenAsync(token, Fetching(new StaticConfigurationManager<OpenIdConnectConfiguration>(KeySet(_key))));

        Assert.True(reread.IsValid);
        Assert.Same(first.SecurityToken, reread.SecurityToken);
    }

    [Fact]
    public async Task A_cached_token_is_refused_when_the_parameters_no_longer_accept_its_audience()
    {
        var token = Mint(_key, lifetime: TimeSpan.FromMinutes(15));
        Assert.True((await _handler.ValidateTokenAsync(token, Trusting(_key))).IsValid);

        var parameters = Trusting(_key);
        parameters.ValidAudience = "another-shop";
        var result = await _handler.ValidateTokenAsync(token, parameters);

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(result.Exception);
    }

    [Fact]
    public async Task The_cache_holds_no_more_tokens_than_its_size()
    {
        using var handler = NewHandler(cacheSize: 2);
        var tokens = Enumerable.Range(0, 6).Select(_ => Mint(_key, lifetime: TimeSpan.FromMinutes(15))).ToArray();
        var first = new List<SecurityToken>();
        foreach (var token in tokens)
        {
            var result = await handler.ValidateTokenAsync(token, Trusting(_key));
            Assert.True(result.IsValid);
            first.Add(result.SecurityToken);
        }

        var hits = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var again = await handler.ValidateTokenAsync(tokens[i], Trusting(_key));
            Assert.True(again.IsValid);
            hits += ReferenceEquals(first[i], again.SecurityToken) ? 1 : 0;
        }

        Assert.InRange(hits, 1, 2);
    }

    private CachingJsonWebTokenHandler NewHandler(int cacheSize) =>
        new(Options.Create(new ShopAuthenticationOptions { ValidatedTokenCacheSize = cacheSize, ClockSkew = ClockSkew }), _clock);

    private static ECDsaSecurityKey NewKey(string keyId) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = keyId };

    /// <summary>The public half only, as a service holds it.</summary>
    private static ECDsaSecurityKey PublicOf(ECDsaSecurityKey key) => new(ECDsa.Create(key.ECDsa.ExportParameters(false))) { KeyId = key.KeyId };

    private static OpenIdConnectConfiguration KeySet(params ECDsaSecurityKey[] keys)
    {
        var configuration = new OpenIdConnectConfiguration();
        foreach (var key in keys)
        {
            configuration.SigningKeys.Add(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(PublicOf(key)));
        }

        return configuration;
    }

    /// <summary>The parameters ServiceDefaults gives JwtBearer, with the keys user-api's own validation passes.</summary>
    private static TokenValidationParameters Trusting(params ECDsaSecurityKey[] keys) =>
        Parameters(parameters => parameters.IssuerSigningKeys = [.. keys.Select(PublicOf)]);

    /// <summary>The parameters ServiceDefaults gives JwtBearer, with the key set the other services fetch.</summary>
    private static TokenValidationParameters Fetching(BaseConfigurationManager keys) =>
        Parameters(parameters => parameters.ConfigurationManager = keys);

    private static TokenValidationParameters Parameters(Action<TokenValidationParameters> keys)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = "shop-user-api",
            ValidAudience = "shop",
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ClockSkew = ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            NameClaimType = ShopClaims.Subject,
            RoleClaimType = ShopClaims.Role,
        };
        keys(parameters);
        return parameters;
    }

    private static string Mint(ECDsaSecurityKey key, TimeSpan lifetime)
    {
        var now = DateTimeOffset.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "shop-user-api",
            Audience = "shop",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["sid"] = Guid.NewGuid().ToString(),
                ["role"] = new[] { "customer" },
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The token's header and payload with another genuine token's signature.</summary>
    private static string WithSignatureOf(string token, string other) =>
        $"{token[..token.LastIndexOf('.')]}{other[other.LastIndexOf('.')..]}";

    private static string[] Claims(ClaimsIdentity identity) => [.. identity.Claims.Select(c => $"{c.Type}={c.Value}")];
}
