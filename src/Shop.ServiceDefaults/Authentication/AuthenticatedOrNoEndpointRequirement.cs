using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.Authentication;

/// <summary>
/// The fallback policy: an endpoint that says nothing about authorization requires a signed-in caller
/// (secure by default), while a request that matched no endpoint at all passes on to become a 404
/// instead of a 401 that would hide the real answer.
/// </summary>
internal sealed class AuthenticatedOrNoEndpointRequirement
    : AuthorizationHandler<AuthenticatedOrNoEndpointRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AuthenticatedOrNoEndpointRequirement requirement)
    {
        var noEndpoint = context.Resource is HttpContext httpContext && httpContext.GetEndpoint() is null;
        if (noEndpoint || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
