using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Contracts;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Authentication;

namespace Shop.OrderApi.Apis;

/// <summary>The signed-in customer's cart.</summary>
public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(ShopPolicies.Customer);
        cart.MapGet("/", GetCart);
        cart.MapPut("/items/{productId:guid}", SetItem);
        cart.MapDelete("/items/{productId:guid}", RemoveItem);
        cart.MapDelete("/", ClearCart);
        return app;
    }

    public static async Task<Ok<CartResponse>> GetCart(ClaimsPrincipal principal, CartService cart, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cart.GetAsync(principal.RequiredAccountId(), cancellationToken));

    /// <summary>
    /// Sets how many of a product the cart holds (1 to 99). The product must be on sale, as order-api's copy of the
    /// catalog says (so this works while catalog-api is away, for products it has heard of).
    /// </summary>
    public static async Task<Results<Ok<CartResponse>, ProblemHttpResult>> SetItem(
        Guid productId, SetCartItemRequest request, ClaimsPrincipal principal, ICartStore carts, ProductCopies products, CartService cart,
        IOptions<OrderOptions> options, CancellationToken cancellationToken)
    {
        if (await products.FindOrFetchAsync(productId, cancellationToken) is not { IsActive: true })
        {
            return TypedResults.Problem(title: "Product not found", detail: "No product on sale has this id.", statusCode: StatusCodes.Status404NotFound);
        }

        var customerId = principal.RequiredAccountId();
        if (!await carts.SetAsync(customerId, productId, request.Quantity!.Value))
        {
            return TypedResults.Problem(
                title: "Cart full",
                detail: $"A cart holds at most {options.Value.MaxCartItems} different products.",
                statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(await cart.GetAsync(customerId, cancellationToken));
    }

    public static async Task<Ok<CartResponse>> RemoveItem(Guid productId, ClaimsPrincipal principal, ICartStore carts, CartService cart, CancellationToken cancellationToken)
    {
        var customerId = principal.RequiredAccountId();
        await carts.RemoveAsync(customerId, productId);
        return TypedResults.Ok(await cart.GetAsync(customerId, cancellationToken));
    }

    public static async Task<NoContent> ClearCart(ClaimsPrincipal principal, ICartStore carts)
    {
        await carts.ClearAsync(principal.RequiredAccountId());
        return TypedResults.NoContent();
    }
}
