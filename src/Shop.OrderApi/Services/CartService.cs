using Shop.OrderApi.Clients;
using Shop.OrderApi.Contracts;

namespace Shop.OrderApi.Services;

/// <summary>The cart as the customer sees it: quantities from Redis, prices and availability from the catalog right now.</summary>
public sealed class CartService(ICartStore carts, CatalogClient catalog)
{
    public async Task<CartResponse> GetAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var lines = await carts.GetAsync(customerId);
        var products = (await catalog.GetProductsAsync([.. lines.Keys], cancellationToken)).ToDictionary(p => p.Id);
        var items = lines
            .Select(line => products.TryGetValue(line.Key, out var product)
                ? new CartItemResponse(line.Key, product.Sku, product.Name, product.Price, line.Value, product.Price * line.Value, product.Available, product.Available >= line.Value)
                : new CartItemResponse(line.Key, null, null, null, line.Value, null, 0, false))
            .OrderBy(item => item.Name ?? "\uffff")
            .ToList();
        return new CartResponse(
            items,
            items.Sum(item => item.LineTotal ?? 0m),
            products.Values.Select(p => p.Currency).FirstOrDefault(),
            items.Count > 0 && items.All(item => item.CanBeOrdered));
    }
}
