namespace Shop.UserApi.Model;

/// <summary>
/// An ES256 key pair that signs access tokens. A new key is published before it signs anything
/// (<see cref="ActivatesAt"/> lies ahead), so every service has fetched it by the time tokens name it;
/// the latest activated key signs; a superseded key stays published until the tokens it signed have
/// expired. So rotation never makes a valid token fail anywhere.
/// </summary>
public sealed class SigningKey
{
    public const string Es256 = "ES256";

    // For EF Core materialization.
    private SigningKey()
    {
    }

    public SigningKey(string id, byte[] privateKey, DateTimeOffset now, DateTimeOffset activatesAt)
    {
        Id = id;
        Algorithm = Es256;
        PrivateKey = privateKey;
        CreatedAt = now;
        ActivatesAt = activatesAt;
    }

    /// <summary>The key id (<c>kid</c>) tokens name.</summary>
    public string Id { get; private set; } = null!;

    public string Algorithm { get; private set; } = null!;

    /// <summary>PKCS#8 private key.</summary>
    public byte[] PrivateKey { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>From when the key signs new tokens.</summary>
    public DateTimeOffset ActivatesAt { get; private set; }
}
