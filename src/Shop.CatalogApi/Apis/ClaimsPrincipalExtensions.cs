using System.Security.Claims;
using Shop.ServiceDefaults.Authentication;

namespace Shop.CatalogApi.Apis;

internal static class ClaimsPrincipalExtensions
{
    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(ShopRoles.Admin);
}
