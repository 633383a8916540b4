using System.Security.Claims;
using Shop.ServiceDefaults.Authentication;

namespace Shop.CatalogApi.Apis;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The staff account making a change, for the record.</summary>
    public static Guid AccountId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ShopClaims.Subject), out var id) ? id : Guid.Empty;

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(ShopRoles.Admin);
}
