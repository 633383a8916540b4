namespace Shop.UserApi.Model;

/// <summary>
/// One refresh token of a sign-in session (a family). Only the SHA-256 of the token is stored. Each use
/// rotates it: the token is marked used and a new one of the same family is issued; presenting a used
/// token again means it was stolen, and the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    // For EF Core materialization.
    private RefreshToken()
    {
    }

    public RefreshToken(Guid userId, Guid familyId, byte[] tokenHash, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        Id = Guid.CreateVersion7(now);
        UserId = userId;
        FamilyId = familyId;
        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The sign-in session; access tokens carry it as the <c>sid</c> claim.</summary>
    public Guid FamilyId { get; private set; }

    public byte[] TokenHash { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When it was exchanged for its successor.</summary>
    public DateTimeOffset? UsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }
}
