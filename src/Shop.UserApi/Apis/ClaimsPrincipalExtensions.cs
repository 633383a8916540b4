using System.Security.Claims;
using Shop.ServiceDefaults.Authentication;

namespace Shop.UserApi.Apis;

internal static class ClaimsPrincipalExtensions
{
    /// <summary>The sign-in session (refresh-token family) of the token, when it has one.</summary>
    public static Guid? SessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ShopClaims.SessionId), out var id) ? id : null;
}
