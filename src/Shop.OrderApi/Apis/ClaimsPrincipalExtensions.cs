using System.Security.Claims;
using Shop.ServiceDefaults.Authentication;

namespace Shop.OrderApi.Apis;

internal static class ClaimsPrincipalExtensions
{
    public static Guid CustomerId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ShopClaims.Subject), out var id)
            ? id
            : throw new InvalidOperationException("A customer endpoint was reached without a customer token.");
}
