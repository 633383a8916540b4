namespace Shop.UserApi.Model;

/// <summary>A customer or staff account. The email is unique regardless of case.</summary>
public sealed class User
{
    public const int EmailMaxLength = 254;
    public const int DisplayNameMaxLength = 100;

    // For EF Core materialization.
    private User()
    {
    }

    public User(string email, string displayName, string passwordHash, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        Email = email.Trim();
        NormalizedEmail = NormalizeEmail(email);
        DisplayName = displayName.Trim();
        PasswordHash = passwordHash;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; } = null!;

    /// <summary>The lookup key for the email: trimmed and upper-cased, so uniqueness ignores case.</summary>
    public string NormalizedEmail { get; private set; } = null!;

    public string DisplayName { get; private set; } = null!;

    public string PasswordHash { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();
}
