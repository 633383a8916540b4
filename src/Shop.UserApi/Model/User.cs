using Shop.ServiceDefaults.Authentication;

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
        Roles = [ShopRoles.Customer];
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; } = null!;

    /// <summary>The lookup key for the email: trimmed and upper-cased, so uniqueness ignores case.</summary>
    public string NormalizedEmail { get; private set; } = null!;

    public string DisplayName { get; private set; } = null!;

    public string PasswordHash { get; private set; } = null!;

    public List<string> Roles { get; private set; } = [];

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Postgres's row version (xmin): two concurrent edits of one account cannot both win.</summary>
    public uint Version { get; private set; }

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    public void ChangeDisplayName(string displayName, DateTimeOffset now)
    {
        DisplayName = displayName.Trim();
        UpdatedAt = now;
    }

    public void ChangeEmail(string email, DateTimeOffset now)
    {
        Email = email.Trim();
        NormalizedEmail = NormalizeEmail(email);
        UpdatedAt = now;
    }

    public void ChangePasswordHash(string passwordHash, DateTimeOffset now)
    {
        PasswordHash = passwordHash;
        UpdatedAt = now;
    }

    /// <summary>Replaces the roles; every account keeps <see cref="ShopRoles.Customer"/>.</summary>
    public void SetRoles(IEnumerable<string> roles, DateTimeOffset now)
    {
        Roles = [.. roles.Append(ShopRoles.Customer).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        UpdatedAt = now;
    }

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
}
