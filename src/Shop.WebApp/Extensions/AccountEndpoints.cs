using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WebApp.Authentication;
using Shop.WebApp.Clients;

namespace Shop.WebApp.Extensions;

public static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a form post from every page's header (a link would let any site sign the user out): a minimal API
    /// rather than a page, as it renders nothing. Binding the form (the <c>form</c> parameter of SignOut) is what makes minimal APIs
    /// refuse a request without a valid anti-forgery token (400).
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/logout", SignOut);
        return app;
    }

    public static async Task<RedirectHttpResult> SignOut(
        IFormCollection form, HttpContext httpContext, UserSession session, CartSummary cart,
        CancellationToken cancellationToken)
    {
        await cart.ForgetAsync(httpContext.User);
        await session.SignOutAsync(httpContext, cancellationToken);
        return TypedResults.LocalRedirect("/?signedout=true");
    }
}
