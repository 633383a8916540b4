using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;
using Shop.UserApi.Infrastructure;
using Shop.UserApi.Model;

namespace Shop.UserApi.Services;

/// <summary>
/// Opaque refresh tokens: 256 random bits, stored only as their SHA-256, rotated on every use. Presenting
/// a token that was already exchanged means two parties hold it, so its whole family is revoked.
/// </summary>
public sealed class RefreshTokenService(
    UserDbContext db, SessionRevocations revocations, IOptions<TokenIssuingOptions> tokenOptions, TimeProvider timeProvider, ILogger<RefreshTokenService> logger)
{
    /// <summary>Adds a new token of <paramref name="familyId"/> to the context; the caller saves.</summary>
    public string Add(Guid userId, Guid familyId)
    {
        var token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var now = timeProvider.GetUtcNow();
        db.RefreshTokens.Add(new RefreshToken(userId, familyId, Hash(token), now, now + tokenOptions.Value.RefreshTokenLifetime));
        return token;
    }

    /// <summary>Marks a presented token used, once. Anything but a live, unused token gives null.</summary>
    public async Task<RedeemedToken?> RedeemAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Hash(presented);
        var now = timeProvider.GetUtcNow();
        var token = await db.RefreshTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return null;
        }

        // The guard in the WHERE clause makes the claim atomic: of two requests with one token, one wins.
        var claimed = token.UsedAt is null && await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.UsedAt == null && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken) == 1;
        if (!claimed)
        {
            await RevokeFamilyAsync(token.FamilyId, cancellationToken);
            Log.RefreshTokenReused(logger, token.UserId, token.FamilyId);
            return null;
        }

        return new RedeemedToken(token.UserId, token.FamilyId);
    }

    public Task<bool> IsFamilyRevokedAsync(Guid familyId, CancellationToken cancellationToken) =>
        db.RefreshTokens.AnyAsync(t => t.FamilyId == familyId && t.RevokedAt != null, cancellationToken);

    /// <summary>Ends a session: its refresh tokens here, its access tokens in every service.</summary>
    public async Task RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        await revocations.RevokeSessionsAsync([familyId], cancellationToken);
    }

    /// <summary>Ends every session of a user but <paramref name="keepFamilyId"/> (every one when null).</summary>
    public async Task RevokeOtherFamiliesAsync(Guid userId, Guid? keepFamilyId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var keep = keepFamilyId ?? Guid.Empty;
        // One statement revokes and names the sessions it ended, so none escapes the access-token revocation.
        var ended = await db.Database
            .SqlQuery<Guid>($"""
                UPDATE refresh_tokens SET revoked_at = {now}
                WHERE user_id = {userId} AND revoked_at IS NULL AND family_id <> {keep}
                RETURNING family_id AS "Value"
                """)
            .ToListAsync(cancellationToken);
        await revocations.RevokeSessionsAsync([.. ended.Distinct()], cancellationToken);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

public sealed record RedeemedToken(Guid UserId, Guid FamilyId);
