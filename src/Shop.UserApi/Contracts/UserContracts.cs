using System.ComponentModel.DataAnnotations;
using Shop.UserApi.Model;

namespace Shop.UserApi.Contracts;

public sealed record RegisterRequest(
    [property: Required, Mailbox] string Email,
    [property: Required, AcceptablePassword] string Password,
    [property: Required, MaxLength(User.DisplayNameMaxLength)] string DisplayName);

public sealed record UserProfile(Guid Id, string Email, string DisplayName, IReadOnlyList<string> Roles, DateTimeOffset CreatedAt);

/// <summary>Changing the email requires the current password; the display name can always change.</summary>
public sealed record UpdateProfileRequest(
    [property: Required, MaxLength(User.DisplayNameMaxLength)] string DisplayName,
    [property: Mailbox] string? Email,
    [property: MaxLength(AcceptablePasswordAttribute.MaxLength)] string? CurrentPassword);

/// <summary>Deleting one's account takes the current password, as a second proof that the owner asks.</summary>
public sealed record DeleteAccountRequest([property: Required, MaxLength(AcceptablePasswordAttribute.MaxLength)] string CurrentPassword);

public sealed record ChangePasswordRequest(
    [property: Required, MaxLength(AcceptablePasswordAttribute.MaxLength)] string CurrentPassword,
    [property: Required, AcceptablePassword] string NewPassword);

public sealed record UserPage(IReadOnlyList<UserProfile> Items, string? NextCursor);

public sealed record SetRolesRequest([property: Required] IReadOnlyList<string> Roles);

public static class UserMappings
{
    public static UserProfile ToProfile(this User user) =>
        new(user.Id, user.Email, user.DisplayName, user.Roles, user.CreatedAt);
}
