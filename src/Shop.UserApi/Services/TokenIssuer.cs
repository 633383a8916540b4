using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>Creates ES256-signed access tokens for people and for services.</summary>
public sealed class TokenIssuer(SigningKeyStore keys, IOptions<ShopAuthenticationOptions> authOptions, IOptions<TokenIssuingOptions> tokenOptions, TimeProvider timeProvider)
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>
    /// A person's token. <paramref name="readAt"/> is when <paramref name="user"/> was read: the token says
    /// it was issued then, so a token built from an account read before a role change always counts as
    /// older than the change (see SessionRevocations.MarkTokensStaleAsync).
    /// </summary>
    public Task<IssuedToken> IssueForUserAsync(User user, Guid sessionId, DateTimeOffset readAt, CancellationToken cancellationToken) =>
        IssueAsync(
            new Dictionary<string, object>
            {
                [ShopClaims.Subject] = user.Id.ToString(),
                [ShopClaims.Email] = user.Email,
                [ShopClaims.Role] = user.Roles.ToArray(),
                [ShopClaims.SessionId] = sessionId.ToString(),
            },
            tokenOptions.Value.AccessTokenLifetime,
            readAt,
            cancellationToken);

    public Task<IssuedToken> IssueForServiceAsync(string clientId, CancellationToken cancellationToken) =>
        IssueAsync(
            new Dictionary<string, object>
            {
                [ShopClaims.Subject] = clientId,
                [ShopClaims.ClientId] = clientId,
                [ShopClaims.Role] = new[] { ShopRoles.Service },
            },
            tokenOptions.Value.ServiceTokenLifetime,
            timeProvider.GetUtcNow(),
            cancellationToken);

    private async Task<IssuedToken> IssueAsync(Dictionary<string, object> claims, TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = await keys.GetSigningKeyAsync(cancellationToken);
        claims[JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N");
        var token = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = authOptions.Value.Issuer,
            Audience = authOptions.Value.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.PrivateKey, SecurityAlgorithms.EcdsaSha256),
        });
        return new IssuedToken(token, (int)lifetime.TotalSeconds);
    }
}

public sealed record IssuedToken(string Value, int ExpiresInSeconds);
