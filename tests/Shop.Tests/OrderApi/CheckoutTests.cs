using System.Text.Json;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

[Collection(ShopCollection.Name)]
public sealed class CheckoutTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_customer_browses_fills_a_cart_checks_out_and_pays()
    {
        var category = await fixture.CreateCategoryAsync();
        var word = "zq" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8));
        var product = await fixture.CreateProductAsync(category, name: $"The {word} espresso machine", price: 149.99m, stock: 10);
        var customer = await fixture.SignUpAsync();

        using (var catalog = fixture.CreateClient("catalog-api"))
        {
            var found = await catalog.GetFromJsonAsync<JsonElement>($"/api/products?q={word}");
            Assert.Equal(product.Id, found.GetProperty("items")[0].GetProperty("id").GetGuid());
        }

        await fixture.AddToCartAsync(customer, product.Id, 2);
        using var response = await fixture.CheckoutAsync(customer);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal($"/api/orders/{orderId}", response.Headers.Location?.OriginalString);
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        Assert.Equal(299.98m, order.GetProperty("total").GetDecimal());
        Assert.Equal("4242", order.GetProperty("cardLast4").GetString());
        Assert.Equal("visa", order.GetProperty("cardBrand").GetString());
        Assert.Equal("GB", order.GetProperty("shippingAddress").GetProperty("country").GetString());

        var stock = await fixture.StockAsync(product.Id);
        Assert.Equal((8, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
        var payments = await fixture.PaymentsOfAsync(orderId);
        var payment = Assert.Single(payments);
        Assert.Equal("Succeeded", payment.GetProperty("status").GetString());
        Assert.Equal(299.98m, payment.GetProperty("amount").GetDecimal());

        using var client = fixture.CreateClient("order-api");
        using var cart = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/cart", customer.AccessToken));
        Assert.Empty((await cart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        Assert.Equal("Paid", (await fixture.OrderAsync(customer, orderId)).GetProperty("status").GetString());
    }

    public static TheoryData<string, HttpStatusCode, string, string?> TestCards => new()
    {
        { Cards.Succeeds, HttpStatusCode.Created, "Paid", null },
        { Cards.Declined, HttpStatusCode.PaymentRequired, "PaymentFailed", "card_declined" },
        { Cards.InsufficientFunds, HttpStatusCode.PaymentRequired, "PaymentFailed", "insufficient_funds" },
        { Cards.ProcessorErrorOnce, HttpStatusCode.Created, "Paid", null },
        { Cards.Slow, HttpStatusCode.Created, "Paid", null },
    };

    [Theory]
    [MemberData(nameof(TestCards))]
    public async Task Each_test_card_settles_the_order_stock_and_payment_consistently(string card, HttpStatusCode expectedCode, string expectedStatus, string? reason)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 40m, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 2);

        using var response = await fixture.CheckoutAsync(customer, card);

        Assert.Equal(expectedCode, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var orderId = OrderIdOf(body);
        var order = await fixture.OrderAsync(customer, orderId);
        Assert.Equal(expectedStatus, order.GetProperty("status").GetString());
        Assert.False(order.GetProperty("inProgress").GetBoolean());

        var stock = await fixture.StockAsync(product.Id);
        var payments = await fixture.PaymentsOfAsync(orderId);
        var payment = Assert.Single(payments);
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
        if (expectedStatus == "Paid")
        {
            Assert.Equal(3, stock.GetProperty("onHand").GetInt32());
            Assert.Equal("Succeeded", payment.GetProperty("status").GetString());
            Assert.Equal(80m, payment.GetProperty("amount").GetDecimal());
        }
        else
        {
            Assert.Equal(5, stock.GetProperty("onHand").GetInt32());
            Assert.Equal("Declined", payment.GetProperty("status").GetString());
            Assert.Equal(reason, payment.GetProperty("declineReason").GetString());
            Assert.Contains(reason!, order.GetProperty("failureReason").GetString());
            Assert.Equal(orderId, body.GetProperty("orderId").GetGuid());
        }
    }

    [Fact]
    public async Task Replaying_a_checkout_returns_the_same_order_and_charges_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 10m, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        using var first = await fixture.CheckoutAsync(customer, key: key);
        using var replay = await fixture.CheckoutAsync(customer, key: key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(firstId, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        Assert.Single(await fixture.OrdersOfAsync(customer));
        Assert.Single(await fixture.PaymentsOfAsync(firstId));
        Assert.Equal(9, (await fixture.StockAsync(product.Id)).GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_places_nothing_new()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        using var first = await fixture.CheckoutAsync(customer, key: key);
        using var different = await fixture.CheckoutAsync(customer, key: key,
            body: new { shippingAddress = Address, payment = Card(holderName: "Someone Else") });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal("application/problem+json", different.Content.Headers.ContentType?.MediaType);
        Assert.Single(await fixture.OrdersOfAsync(customer));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_place_one_order()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CheckoutAsync(customer, Cards.Slow, key)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var orders = await fixture.OrdersOfAsync(customer);
        var order = Assert.Single(orders);
        Assert.Single(await fixture.PaymentsOfAsync(order.GetProperty("id").GetGuid()));
        Assert.Equal(9, (await fixture.StockAsync(product.Id)).GetProperty("onHand").GetInt32());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Twenty_concurrent_checkouts_for_five_units_give_five_paid_orders_and_fifteen_rejected()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 25m, stock: 5);
        var customers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => fixture.SignUpAsync()));
        foreach (var customer in customers)
        {
            await fixture.AddToCartAsync(customer, product.Id, 1);
        }

        var responses = await Task.WhenAll(customers.Select(async customer =>
        {
            using var response = await fixture.CheckoutAsync(customer);
            return (customer, response.StatusCode, OrderId: OrderIdOf(await response.Content.ReadFromJsonAsync<JsonElement>()));
        }));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var statuses = new List<string>();
        var payments = 0;
        foreach (var (customer, _, orderId) in responses)
        {
            statuses.Add((await fixture.OrderAsync(customer, orderId)).GetProperty("status").GetString()!);
            payments += (await fixture.PaymentsOfAsync(orderId)).Count(p => p.GetProperty("status").GetString() == "Succeeded");
        }

        Assert.Equal(5, statuses.Count(s => s == "Paid"));
        Assert.Equal(15, statuses.Count(s => s == "Rejected"));
        Assert.Equal(5, payments);
        var stock = await fixture.StockAsync(product.Id);
        Assert.Equal((0, 0), (stock.GetProperty("onHand").GetInt32(), stock.GetProperty("reserved").GetInt32()));
    }

    [Fact]
    public async Task Shipping_to_an_address_of_the_address_book_works_and_another_customers_address_is_refused()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        var stranger = await fixture.SignUpAsync();
        using var users = fixture.CreateClient("user-api");
        using var saved = await users.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/users/me/addresses", customer.AccessToken, new
        {
            recipientName = "Charles Babbage", line1 = "1 Dorset Street", city = "London", postalCode = "W1U 4EG", country = "GB",
        }));
        var addressId = (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        await fixture.AddToCartAsync(stranger, product.Id, 1);

        using var foreign = await fixture.CheckoutAsync(stranger, body: new { addressId, payment = Card() });
        using var own = await fixture.CheckoutAsync(customer, body: new { addressId, payment = Card() });

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Empty(await fixture.OrdersOfAsync(stranger));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal("Charles Babbage", (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shippingAddress").GetProperty("recipientName").GetString());
    }

    public static TheoryData<string> BadCheckouts => ["no-key", "luhn", "expired", "cvc", "too-few-digits", "no-address", "both-addresses", "bad-country", "no-card", "nul-character"];

    [Theory]
    [MemberData(nameof(BadCheckouts))]
    public async Task Bad_checkouts_are_400_and_place_no_order(string kind)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        var card = new { number = Cards.Succeeds, expMonth = 12, expYear = DateTime.UtcNow.Year + 2, cvc = "123", holderName = "Ada" };
        object body = kind switch
        {
            "luhn" => new { shippingAddress = Address, payment = card with { number = "4242424242424241" } },
            "expired" => new { shippingAddress = Address, payment = card with { expMonth = 1, expYear = 2020 } },
            "cvc" => new { shippingAddress = Address, payment = card with { cvc = "12a" } },
            // Passes the Luhn check, but no card has so few digits.
            "too-few-digits" => new { shippingAddress = Address, payment = card with { number = "0" } },
            "nul-character" => new { shippingAddress = Address, payment = card with { holderName = "Ada\u0000" } },
            "no-address" => new { payment = card },
            "both-addresses" => new { shippingAddress = Address, addressId = Guid.NewGuid(), payment = card },
            "bad-country" => new { shippingAddress = new { recipientName = "A", line1 = "B", city = "C", postalCode = "D", country = "Britain" }, payment = card },
            "no-card" => new { shippingAddress = Address },
            _ => new { shippingAddress = Address, payment = card },
        };

        HttpResponseMessage response;
        if (kind == "no-key")
        {
            using var client = fixture.CreateClient("order-api");
            response = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/orders", customer.AccessToken, body));
        }
        else
        {
            response = await fixture.CheckoutAsync(customer, body: body);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty(await fixture.OrdersOfAsync(customer));
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_an_order_over_the_payment_limit_is_refused()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 600_000m, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 2);

        using var huge = await fixture.CheckoutAsync(customer, body: new { shippingAddress = Address, payment = Card(holderName: new string('x', 70_000)) });
        using var tooExpensive = await fixture.CheckoutAsync(customer);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, tooExpensive.StatusCode);
        Assert.Empty(await fixture.OrdersOfAsync(customer));
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task An_empty_cart_cannot_be_checked_out()
    {
        var customer = await fixture.SignUpAsync();

        using var response = await fixture.CheckoutAsync(customer);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Empty(await fixture.OrdersOfAsync(customer));
    }
}
