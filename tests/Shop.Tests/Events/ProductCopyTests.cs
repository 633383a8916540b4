using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Events;

/// <summary>
/// catalog-api's ProductChanged events keep order-api's copies of the products, which carts are shown and
/// checked from: a price change reaches every cart without a call to the catalog, and an event that arrives
/// late or twice never puts an older product back.
/// </summary>
[Collection(ShopCollections.Orders)]
public sealed class ProductCopyTests(ShopAppFixture fixture) : SharedSystemTest
{
    private const string ProductChangedWireName = "shop.catalog.product-changed.v1";

    [Fact]
    public async Task A_price_change_reaches_carts_through_its_event_and_a_late_or_repeated_event_changes_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 10m, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 2);

        await fixture.EditPriceAsync(product, 12m, product.ETag);

        // Nothing reads the cart meanwhile (its read of the catalog would also bring the copy up to date): only the
        // event can.
        await fixture.UntilCopiedAsync(product.Id, revision: 2);
        var cart = await fixture.CartAsync(customer);
        Assert.Equal((24m, 12m, true), (cart.Subtotal, cart.Items.Single().UnitPrice!.Value, cart.CanCheckOut));

        // The creation's event again (revision 1, the old price) and the edit's event a second time, as a broker
        // redelivers and a relay that lost its acknowledgement publishes again.
        var created = ProductChanged(product, revision: 1, price: 10m);
        var edited = ProductChanged(product, revision: 2, price: 12m);
        await fixture.PublishAsync(ProductChangedWireName, created, Guid.NewGuid());
        await fixture.PublishAsync(ProductChangedWireName, edited, Guid.NewGuid());
        await fixture.PublishAsync(ProductChangedWireName, created, Guid.NewGuid());
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal<(long, decimal)?>((2L, 12m), await fixture.ProductCopyAsync(product.Id));
        Assert.Equal(12m, (await fixture.CartAsync(customer)).Items.Single().UnitPrice);
    }

    [Fact]
    public async Task A_product_order_api_has_no_copy_of_is_copied_from_the_catalog_when_a_cart_asks_for_it()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 7m, stock: 5);
        var customer = await fixture.SignUpAsync();
        // As if the product was created before order-api listened to the catalog's events.
        await fixture.UntilCopiedAsync(product.Id, revision: 1);
        await fixture.ForgetProductCopyAsync(product.Id);

        await fixture.SetCartQuantityAsync(customer, product.Id, 1);

        var line = (await fixture.CartAsync(customer)).Items.Single();
        Assert.Equal((product.Name, 7m, 5), (line.Name, line.UnitPrice!.Value, line.Available!.Value));
        Assert.Equal<(long, decimal)?>((1L, 7m), await fixture.ProductCopyAsync(product.Id));
    }

    // The wire format of catalog-api's event, as order-api reads it (camelCase JSON).
    private static object ProductChanged(TestProduct product, long revision, decimal price) => new
    {
        eventId = Guid.NewGuid(),
        occurredAt = DateTimeOffset.UtcNow,
        productId = product.Id,
        revision,
        sku = product.Sku,
        name = product.Name,
        price,
        currency = "EUR",
        isActive = true,
    };
}
