using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Shop.OrderApi.Contracts;
using Shop.OrderApi.Services;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.OrderApi.Apis;

/// <summary>The signed-in customer's cart.</summary>
public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization(ShopPolicies.Customer);
        cart.MapGet("/", GetCart);
        cart.MapPost("/items", AddItem);
        cart.MapPut("/items/{productId:guid}", SetItem);
        cart.MapDelete("/items/{productId:guid}", RemoveItem);
        cart.MapDelete("/", ClearCart);
        return app;
    }

    public static async Task<Ok<CartResponse>> GetCart(ClaimsPrincipal principal, CartService cart, CancellationToken cancellationToken) =>
        TypedResults.Ok(await cart.GetAsync(principal.RequiredAccountId(), cancellationToken));

    /// <summary>
    /// Puts a quantity of a product into the cart on top of what it holds, in one step: two tabs adding at once both
    /// count (a read of the cart and a PUT of the sum would lose one). 409 when the line would pass 99 or the cart is full.
    /// An optional Idempotency-Key makes a repeat of the same addition (a double click, a retry) add nothing more; the
    /// key with a different addition is a 422.
    /// </summary>
    public static async Task<Results<Ok<CartResponse>, ProblemHttpResult>> AddItem(
        AddCartItemRequest request, [FromHeader(Name = IdempotencyHeaders.Key)] string? idempotencyKey, ClaimsPrincipal principal,
        ICartStore carts, ProductCopies products, CartService cart, IOptions<OrderOptions> options, HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && !IdempotencyRecord.IsValidKey(idempotencyKey))
        {
            return TypedResults.Problem(
                title: "Invalid Idempotency-Key",
                detail: $"An {IdempotencyHeaders.Key} is 1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var productId = request.ProductId!.Value;
        if (await OnSaleAsync(productId, products, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var customerId = principal.RequiredAccountId();
        var addition = await carts.AddAsync(customerId, productId, request.Quantity!.Value, CartLimits.MaxQuantity, idempotencyKey);
        if (addition is CartAddition.AlreadyAdded)
        {
            response.Headers[IdempotencyHeaders.Replayed] = "true";
        }

        return addition switch
        {
            CartAddition.Added or CartAddition.AlreadyAdded => TypedResults.Ok(await cart.GetAsync(customerId, cancellationToken)),
            CartAddition.KeyReused => TypedResults.Problem(
                title: "Idempotency-Key reused",
                detail: $"This {IdempotencyHeaders.Key} was used for a different addition. Use a new key for a new addition.",
                statusCode: StatusCodes.Status422UnprocessableEntity),
            CartAddition.TooMany tooMany => TypedResults.Problem(
                title: "Too many of this product",
                detail: $"The cart already holds {tooMany.Held} of it, and a cart holds at most {CartLimits.MaxQuantity} of a product.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["held"] = tooMany.Held }),
            _ => CartFull(options.Value),
        };
    }

    /// <summary>
    /// Sets how many of a product the cart holds (1 to 99). The product must be on sale, as order-api's copy of the
    /// catalog says (so this works while catalog-api is away, for products it has heard of).
    /// </summary>
    public static async Task<Results<Ok<CartResponse>, ProblemHttpResult>> SetItem(
        Guid productId, SetCartItemRequest request, ClaimsPrincipal principal, ICartStore carts, ProductCopies products, CartService cart,
        IOptions<OrderOptions> options, CancellationToken cancellationToken)
    {
        if (await OnSaleAsync(productId, products, cancellationToken) is { } notFound)
        {
            return notFound;
        }

        var customerId = principal.RequiredAccountId();
        if (!await carts.SetAsync(customerId, productId, request.Quantity!.Value))
        {
            return CartFull(options.Value);
        }

        return TypedResults.Ok(await cart.GetAsync(customerId, cancellationToken));
    }

    public static async Task<Ok<CartResponse>> RemoveItem(Guid productId, ClaimsPrincipal principal, ICartStore carts, CartService cart, CancellationToken cancellationToken)
    {
        var customerId = principal.RequiredAccountId();
        await carts.RemoveAsync(customerId, productId);
        return TypedResults.Ok(await cart.GetAsync(customerId, cancellationToken));
    }

    /// <summary>A 404 unless the product is on sale, as order-api's copy of the catalog says (fetched when it has none).</summary>
    private static async Task<ProblemHttpResult?> OnSaleAsync(Guid productId, ProductCopies products, CancellationToken cancellationToken) =>
        await products.FindOrFetchAsync(productId, cancellationToken) is { IsActive: true }
            ? null
            : TypedResults.Problem(title: "Product not found", detail: "No product on sale has this id.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult CartFull(OrderOptions options) => TypedResults.Problem(
        title: "Cart full",
        detail: $"A cart holds at most {options.MaxCartItems} different products.",
        statusCode: StatusCodes.Status409Conflict);

    public static async Task<NoContent> ClearCart(ClaimsPrincipal principal, ICartStore carts)
    {
        await carts.ClearAsync(principal.RequiredAccountId());
        return TypedResults.NoContent();
    }
}
