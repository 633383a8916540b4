using System.Text.Json;
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

        await fixture.SetCartQuantityAsync(customer, kettle.Id, 5);
        await fixture.SetCartQuantityAsync(customer, teapot.Id, 1);
        await fixture.SetCartQuantityAsync(customer, teapot.Id, 2);

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
        await fixture.SetCartQuantityAsync(owner, product.Id, 1);
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

    [Fact]
    public async Task Adds_arriving_together_all_count()
    {
        var product = await fixture.CreateProductAsync(await fixture.CreateCategoryAsync(), stock: 100);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("order-api");

        // Twelve tabs add two each at the same moment: reading the cart and writing the sum would lose some of them.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/cart/items", customer.AccessToken,
                new { productId = product.Id, quantity = 2 }));
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(24, Assert.Single((await fixture.CartAsync(customer)).Items).Quantity);
    }

    [Fact]
    public async Task An_addition_past_99_or_with_bad_input_is_refused_and_changes_nothing()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 200);
        var hidden = await fixture.CreateProductAsync(category, isActive: false);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 95);
        using var client = fixture.CreateClient("order-api");
        Task<HttpResponseMessage> AddAsync(object body) =>
            client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/cart/items", customer.AccessToken, body));

        using (var tooMany = await AddAsync(new { productId = product.Id, quantity = 5 }))
        {
            var problem = await tooMany.ReadProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(95, problem.Held);
            Assert.Contains("at most 99", problem.Detail);
        }

        foreach (var body in new object[]
        {
            new { productId = product.Id, quantity = 0 }, new { productId = product.Id, quantity = 100 }, new { productId = product.Id, quantity = "many" },
            new { quantity = 1 }, new { productId = "not-a-guid", quantity = 1 }, new { productId = product.Id },
        })
        {
            using var response = await AddAsync(body);
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"{JsonSerializer.Serialize(body)}: {response.StatusCode}");
        }

        using (var unknown = await AddAsync(new { productId = Guid.NewGuid(), quantity = 1 }))
        using (var withdrawn = await AddAsync(new { productId = hidden.Id, quantity = 1 }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, withdrawn.StatusCode);
        }

        var cart = await fixture.CartAsync(customer);
        Assert.Equal(95, Assert.Single(cart.Items).Quantity);

        using var upToTheLimit = await AddAsync(new { productId = product.Id, quantity = 4 });
        Assert.Equal(99, Assert.Single((await upToTheLimit.ReadAsAsync<CartView>()).Items).Quantity);
    }

    [Fact]
    public async Task An_addition_sent_again_under_its_key_adds_once()
    {
        var product = await fixture.CreateProductAsync(await fixture.CreateCategoryAsync(), stock: 100);
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("order-api");
        HttpRequestMessage Add(string key, int quantity)
        {
            var request = Accounts.Authorized(HttpMethod.Post, "/api/cart/items", customer.AccessToken, new { productId = product.Id, quantity });
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        // A retry after a lost answer, then a double click sending one form four times at once.
        var retried = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await client.SendAsync(Add(retried, 2));
            Assert.Equal(2, Assert.Single((await response.ReadAsAsync<CartView>()).Items).Quantity);
        }

        var doubled = Guid.NewGuid().ToString();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await client.SendAsync(Add(doubled, 3));
            return response.StatusCode;
        }));
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));

        using (var reused = await client.SendAsync(Add(doubled, 4)))
        {
            await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        }

        foreach (var key in new[] { new string('k', 256), "two words" })
        {
            using var invalid = await client.SendAsync(Add(key, 1));
            Assert.True(HttpStatusCode.BadRequest == invalid.StatusCode, $"key {key}: {invalid.StatusCode}");
        }

        Assert.Equal(5, Assert.Single((await fixture.CartAsync(customer)).Items).Quantity);
    }
}
