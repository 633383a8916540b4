using System.Security.Claims;

namespace Shop.ServiceDefaults.Authentication;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The account id a person's token names (its subject); null for a service token or none.</summary>
    public static Guid? AccountId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ShopClaims.Subject), out var id) ? id : null;

    /// <summary>
    /// The signed-in account's id, on endpoints whose policy admits only people (customer, admin): their
    /// tokens always name one.
    /// </summary>
    public static Guid RequiredAccountId(this ClaimsPrincipal principal) =>
        principal.AccountId() ?? throw new InvalidOperationException("An account endpoint was reached without an account token.");
}
