using System.ComponentModel.DataAnnotations;

namespace Shop.UserApi;

/// <summary>
/// The administrator account ensured at start-up (section <c>Auth:Admin</c>, set by the AppHost from its
/// parameters). When both are set, the account exists, is an admin, and has this password.
/// </summary>
public sealed class AdminAccountOptions : IValidatableObject
{
    public const string SectionName = "Auth:Admin";

    [EmailAddress]
    public string? Email { get; set; }

    [MinLength(10)]
    public string? Password { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(Email) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Set both the admin email and password, or neither.", [nameof(Email), nameof(Password)]);
        }
    }
}
