using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// Validates access tokens as <see cref="JsonWebTokenHandler"/> does, checking each token's ES256 signature
/// once: a token seen before (the exact same string) skips the signature check, and only that. A hit
/// re-applies what can change since the first validation: the lifetime (by the injected clock, with the
/// same clock skew), the signing key still being one of the keys trusted now (a key removed from the key
/// set ends its tokens here too), and issuer, audience and algorithm against the current parameters.
/// Revocation is untouched: JwtBearer runs OnTokenValidated (<see cref="RevokedSessions"/>) after every
/// validation, from the cache or not.
/// </summary>
/// <remarks>
/// Only valid tokens are cached, each until its expiry plus the clock skew, and at most
/// <see cref="ShopAuthenticationOptions.ValidatedTokenCacheSize"/> of them (a token that does not fit is
/// validated in full every time until room is made). IdentityModel offers no such cache.
/// </remarks>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    private readonly MemoryCache _validated;
    private readonly TimeProvider _timeProvider;

    // A key's RFC 7638 thumbprint, computed once per key object: a re-read key set holds new objects for
    // the same keys, and those must keep their tokens' entries.
    private readonly ConditionalWeakTable<SecurityKey, byte[]> _thumbprints = new();

    public CachingJsonWebTokenHandler(IOptions<ShopAuthenticationOptions> options, TimeProvider timeProvider)
    {
        _validated = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.ValidatedTokenCacheSize });
        _timeProvider = timeProvider;
        // Claim types stay as issued (sub, role, sid), as JwtBearerOptions.MapInboundClaims = false says.
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out ValidatedToken? seen))
        {
            var expiresAt = seen!.Token.ValidTo + validationParameters.ClockSkew;
            if (_timeProvider.GetUtcNow().UtcDateTime > expiresAt)
            {
                _validated.Remove(token);
                return new TokenValidationResult
                {
                    IsValid = false,
                    Exception = new SecurityTokenExpiredException($"The token expired at {seen.Token.ValidTo:O} (clock skew {validationParameters.ClockSkew}).")
                    {
                        Expires = seen.Token.ValidTo,
                    },
                };
            }

            if (IsAccepted(seen.Token, validationParameters) && await IsTrustedAsync(seen, validationParameters))
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = seen.Token,
                    Issuer = seen.Token.Issuer,
                    TokenType = seen.Token.Typ,
                    // Each request gets claims of its own: handlers and claims transformation may add to them.
                    ClaimsIdentity = seen.Identity.Clone(),
                };
            }

            // Its key is no longer trusted, or the parameters changed: the full validation says why.
            _validated.Remove(token);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken { SigningKey: { } key } validated, ClaimsIdentity: { } identity }
            && Thumbprint(key) is { } thumbprint)
        {
            _validated.Set(token, new ValidatedToken(validated, key, thumbprint, identity.Clone()), new MemoryCacheEntryOptions
            {
                Size = 1,
                AbsoluteExpiration = new DateTimeOffset(validated.ValidTo + validationParameters.ClockSkew, TimeSpan.Zero),
            });
        }

        return result;
    }

    public void Dispose() => _validated.Dispose();

    /// <summary>
    /// Issuer, audience and algorithm against the parameters of this request. ServiceDefaults fixes them at
    /// start; checking costs nanoseconds and keeps an entry from outliving a change. Stricter than
    /// IdentityModel (exact matches only), so a doubt means a full validation, never a wrong acceptance.
    /// </summary>
    private static bool IsAccepted(JsonWebToken token, TokenValidationParameters parameters)
    {
        var issuer = token.Issuer;
        if (issuer != parameters.ValidIssuer && parameters.ValidIssuers?.Contains(issuer) != true)
        {
            return false;
        }

        if (parameters.ValidAlgorithms is { } algorithms && !algorithms.Contains(token.Alg))
        {
            return false;
        }

        foreach (var audience in token.Audiences)
        {
            if (audience == parameters.ValidAudience || parameters.ValidAudiences?.Contains(audience) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the key that signed the token is among the keys these parameters trust now: their own keys
    /// (user-api passes its key store's) or the current key set of their configuration manager (the JWKS).
    /// </summary>
    private async ValueTask<bool> IsTrustedAsync(ValidatedToken seen, TokenValidationParameters parameters)
    {
        if (parameters.IssuerSigningKey is { } single && IsSameKey(single, seen))
        {
            return true;
        }

        if (parameters.IssuerSigningKeys is { } keys && ContainsKey(keys, seen))
        {
            return true;
        }

        if (parameters.ConfigurationManager is { } manager)
        {
            var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
            return configuration?.SigningKeys is { } current && ContainsKey(current, seen);
        }

        return false;
    }

    private bool ContainsKey(IEnumerable<SecurityKey> keys, ValidatedToken seen)
    {
        foreach (var key in keys)
        {
            if (IsSameKey(key, seen))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsSameKey(SecurityKey key, ValidatedToken seen) =>
        ReferenceEquals(key, seen.SigningKey)
        || (key.KeyId == seen.SigningKey.KeyId && Thumbprint(key) is { } thumbprint && thumbprint.AsSpan().SequenceEqual(seen.KeyThumbprint));

    private byte[]? Thumbprint(SecurityKey key) =>
        key.CanComputeJwkThumbprint() ? _thumbprints.GetValue(key, static k => k.ComputeJwkThumbprint()) : null;

    /// <summary>
    /// What the first validation established. <see cref="Identity"/> is a template never handed out; the
    /// token is only read.
    /// </summary>
    private sealed record ValidatedToken(JsonWebToken Token, SecurityKey SigningKey, byte[] KeyThumbprint, ClaimsIdentity Identity);
}
