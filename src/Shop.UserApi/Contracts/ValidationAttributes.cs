using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Shop.UserApi.Services;

namespace Shop.UserApi.Contracts;

/// <summary>
/// A plain mailbox address: <c>local@domain.tld</c>, no display name, no spaces, at most 254 characters.
/// Stricter than [EmailAddress], which accepts anything with one '@'.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class MailboxAttribute() : ValidationAttribute("Enter an email address such as name@example.com.")
{
    public override bool IsValid(object? value)
    {
        if (value is not string text)
        {
            return value is null;
        }

        var candidate = text.Trim();
        return candidate.Length is > 0 and <= 254
            && !candidate.Any(char.IsWhiteSpace)
            && MailAddress.TryCreate(candidate, out var address)
            && address.Address == candidate
            && address.Host.Contains('.')
            && !address.Host.StartsWith('.') && !address.Host.EndsWith('.');
    }
}

/// <summary>At least 10 and at most 128 characters, and not one of the most common passwords.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class AcceptablePasswordAttribute : ValidationAttribute
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string password)
        {
            return ValidationResult.Success;
        }

        string[] members = validationContext.MemberName is { } member ? [member] : [];
        if (password.Length < MinLength)
        {
            return new ValidationResult($"Use at least {MinLength} characters.", members);
        }

        if (password.Length > MaxLength)
        {
            return new ValidationResult($"Use at most {MaxLength} characters.", members);
        }

        return CommonPasswords.Contains(password)
            ? new ValidationResult("This password is among the most commonly used; choose another.", members)
            : ValidationResult.Success;
    }
}
