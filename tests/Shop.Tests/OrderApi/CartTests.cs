using Shop.Tests.Infrastructure;

namespace Shop.Tests.OrderApi;

[Collection(ShopCollections.Orders)]
public sealed class CartTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_cart_holds_set_quantities_with_current_prices_and_availability()
    {
        var category = await fixture.CreateCategoryAsync();
        var kettle = await fixture.CreateProductAsync(category, name: "Cart kettle", price: 20m, stock: 3);
        var teapot = await fixture.CreateProductAsync(category, name: "Cart teapot", price: 12.5m, stock: 10);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("order-api");

        await fixture.AddToCartAsync(customer, kettle.Id, 5);
        await fixture.AddToCartAsync(customer, teapot.Id, 1);
        await fixture.AddToCartAsync(customer, teapot.Id, 2);

        var cart = await fixture.CartAsync(customer);
        var items = cart.Items.ToDictionary(i => i.ProductId);
        Assert.Equal(2, items.Count);
        Assert.Equal((5, false, 3), (items[kettle.Id].Quantity, items[kettle.Id].CanBeOrdered, items[kettle.Id].Available));
        Assert.Equal((2, 12.5m, 25m, true), (items[teapot.Id].Quantity, items[teapot.Id].UnitPrice, items[teapot.Id].LineTotal, items[teapot.Id].CanBeOrdered));
        Assert.Equal(125m, cart.Subtotal);
        Assert.False(cart.CanCheckOut);

        using var removed = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/cart/items/{kettle.Id}", customer.AccessToken));
        var withoutKettle = await removed.ReadAsAsync<CartView>();
        Assert.True(withoutKettle.CanCheckOut);
        Assert.Equal([teapot.Id], withoutKettle.Items.Select(i => i.ProductId));

        using var cleared = await client.SendAsync(Accounts.Authorized(HttpMethod.Delete, "/api/cart", customer.AccessToken));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Empty((await fixture.CartAsync(customer)).Items);
    }

    [Fact]
    public async Task Carts_are_private_and_need_a_customer()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category);
        var owner = await fixture.SignUpAsync();
        var other = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(owner, product.Id, 1);
        using var client = fixture.CreateClient("order-api");

        var otherCart = await fixture.CartAsync(other);
        using var anonymous = await client.GetAsync("/api/cart");

        Assert.Empty(otherCart.Items);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Unknown_or_withdrawn_products_and_bad_quantities_are_refused()
    {
        var category = await fixture.CreateCategoryAsync();
        var hidden = await fixture.CreateProductAsync(category, isActive: false);
        var product = await fixture.CreateProductAsync(category);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("order-api");

        using var unknown = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/cart/items/{Guid.NewGuid()}", customer.AccessToken, new { quantity = 1 }));
        using var inactive = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/cart/items/{hidden.Id}", customer.AccessToken, new { quantity = 1 }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, inactive.StatusCode);

        foreach (var quantity in new object[] { 0, 100, -1, "many" })
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/cart/items/{product.Id}", customer.AccessToken, new { quantity }));
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"quantity {quantity}: {response.StatusCode}");
        }

        Assert.Empty((await fixture.CartAsync(customer)).Items);
    }
}
