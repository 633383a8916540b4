using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

[Collection(ShopCollections.Orders)]
public sealed class CheckoutTests(ShopAppFixture fixture) : SharedSystemTest
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
            var found = await catalog.GetAsAsync<ProductPageView>($"/api/products?q={word}");
            Assert.Equal(product.Id, found.Items[0].Id);
        }

        await fixture.SetCartQuantityAsync(customer, product.Id, 2);
        using var response = await fixture.CheckoutAsync(customer);

        var order = await response.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        Assert.Equal($"/api/orders/{order.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Paid", order.Status);
        Assert.Equal(299.98m, order.Total);
        Assert.Equal("4242", order.CardLast4);
        Assert.Equal("visa", order.CardBrand);
        Assert.Equal("GB", order.ShippingAddress.Country);
        var line = Assert.Single(order.Lines);
        Assert.Equal((product.Id, 2, 149.99m, 299.98m), (line.ProductId, line.Quantity, line.UnitPrice, line.LineTotal));

        Assert.Equal(new StockView(product.Id, OnHand: 8, Reserved: 0, Available: 8), await fixture.StockAsync(product.Id));
        var payment = Assert.Single(await fixture.PaymentsOfAsync(order.Id));
        Assert.Equal(("Succeeded", 299.98m), (payment.Status, payment.Amount));

        Assert.Empty((await fixture.CartAsync(customer)).Items);
        Assert.Equal("Paid", (await fixture.OrderAsync(customer, order.Id)).Status);
    }

    [Theory]
    [InlineData(Cards.Succeeds)]
    [InlineData(Cards.ProcessorErrorOnce)]
    [InlineData(Cards.Slow)]
    public async Task A_paying_test_card_pays_the_order_takes_the_stock_and_keeps_one_payment(string card)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 40m, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 2);

        using var response = await fixture.CheckoutAsync(customer, card);

        var placed = await response.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        var order = await fixture.OrderAsync(customer, placed.Id);
        Assert.Equal(("Paid", false), (order.Status, order.InProgress));
        Assert.Equal(new StockView(product.Id, OnHand: 3, Reserved: 0, Available: 3), await fixture.StockAsync(product.Id));
        var payment = Assert.Single(await fixture.PaymentsOfAsync(order.Id));
        Assert.Equal(("Succeeded", 80m), (payment.Status, payment.Amount));
    }

    [Theory]
    [InlineData(Cards.Declined, "card_declined")]
    [InlineData(Cards.InsufficientFunds, "insufficient_funds")]
    public async Task A_declined_test_card_fails_the_order_releases_the_stock_and_keeps_the_decline(string card, string reason)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 40m, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 2);

        using var response = await fixture.CheckoutAsync(customer, card);

        var problem = await response.ReadProblemAsync(HttpStatusCode.PaymentRequired);
        Assert.Equal(("Payment failed", "PaymentFailed"), (problem.Title, problem.OrderStatus));
        var orderId = Assert.NotNull(problem.OrderId);
        var order = await fixture.OrderAsync(customer, orderId);
        Assert.Equal(("PaymentFailed", false), (order.Status, order.InProgress));
        Assert.Contains(reason, order.FailureReason);
        Assert.Equal(new StockView(product.Id, OnHand: 5, Reserved: 0, Available: 5), await fixture.StockAsync(product.Id));
        var payment = Assert.Single(await fixture.PaymentsOfAsync(orderId));
        Assert.Equal(("Declined", reason), (payment.Status, payment.DeclineReason));
    }

    [Fact]
    public async Task Replaying_a_checkout_returns_the_same_order_and_charges_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 10m, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        using var first = await fixture.CheckoutAsync(customer, key: key);
        using var replay = await fixture.CheckoutAsync(customer, key: key);

        var placed = await first.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        var replayed = await replay.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(placed.Id, replayed.Id);
        Assert.Equal(placed.Id, Assert.Single(await fixture.OrdersOfAsync(customer)).Id);
        Assert.Single(await fixture.PaymentsOfAsync(placed.Id));
        Assert.Equal(9, (await fixture.StockAsync(product.Id)).OnHand);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_422_and_places_nothing_new()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        using var first = await fixture.CheckoutAsync(customer, key: key);
        using var different = await fixture.CheckoutAsync(customer, key: key,
            body: new { shippingAddress = Address, payment = Card(holderName: "Someone Else") });

        var placed = await first.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        Assert.Equal("Idempotency-Key reused", (await different.ReadProblemAsync(HttpStatusCode.UnprocessableEntity)).Title);
        Assert.Equal(placed.Id, Assert.Single(await fixture.OrdersOfAsync(customer)).Id);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_place_one_order()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CheckoutAsync(customer, Cards.Slow, key)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.Created);
        var orders = await fixture.OrdersOfAsync(customer);
        var order = Assert.Single(orders);
        Assert.Single(await fixture.PaymentsOfAsync(order.Id));
        Assert.Equal(9, (await fixture.StockAsync(product.Id)).OnHand);
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
            await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        }

        var responses = await Task.WhenAll(customers.Select(async customer =>
        {
            using var response = await fixture.CheckoutAsync(customer);
            return (customer, response.StatusCode, OrderId: await OrderIdOfAsync(response));
        }));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(15, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var statuses = new List<string>();
        var payments = 0;
        foreach (var (customer, _, orderId) in responses)
        {
            statuses.Add((await fixture.OrderAsync(customer, orderId)).Status);
            payments += (await fixture.PaymentsOfAsync(orderId)).Count(p => p.Status == "Succeeded");
        }

        Assert.Equal(5, statuses.Count(s => s == "Paid"));
        Assert.Equal(15, statuses.Count(s => s == "Rejected"));
        Assert.Equal(5, payments);
        Assert.Equal(new StockView(product.Id, OnHand: 0, Reserved: 0, Available: 0), await fixture.StockAsync(product.Id));
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
        var addressId = (await saved.ReadAsAsync<AddressView>(HttpStatusCode.Created)).Id;
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        await fixture.SetCartQuantityAsync(stranger, product.Id, 1);

        using var foreign = await fixture.CheckoutAsync(stranger, body: new { addressId, payment = Card() });
        using var own = await fixture.CheckoutAsync(customer, body: new { addressId, payment = Card() });

        await foreign.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty(await fixture.OrdersOfAsync(stranger));
        var order = await own.ReadAsAsync<OrderView>(HttpStatusCode.Created);
        Assert.Equal(new ShippingAddressView("Charles Babbage", "1 Dorset Street", null, "London", null, "W1U 4EG", "GB", null), order.ShippingAddress);
    }

    /// <summary>Checkout bodies order-api must refuse, each with the reason; all with an Idempotency-Key.</summary>
    public static TheoryData<string, object> BadCheckoutBodies => new()
    {
        { "a card number failing the Luhn check", new { shippingAddress = Address, payment = ValidCard with { Number = "4242424242424241" } } },
        { "an expired card", new { shippingAddress = Address, payment = ValidCard with { ExpMonth = 1, ExpYear = 2020 } } },
        { "a CVC with a letter", new { shippingAddress = Address, payment = ValidCard with { Cvc = "12a" } } },
        // Passes the Luhn check, but no card has so few digits.
        { "a card number of one digit", new { shippingAddress = Address, payment = ValidCard with { Number = "0" } } },
        { "a NUL character in the holder's name", new { shippingAddress = Address, payment = ValidCard with { HolderName = "Ada\u0000" } } },
        { "no address", new { payment = ValidCard } },
        { "both an address and an address id", new { shippingAddress = Address, addressId = Guid.NewGuid(), payment = ValidCard } },
        { "a country that is not a two-letter code", new { shippingAddress = new { recipientName = "A", line1 = "B", city = "C", postalCode = "D", country = "Britain" }, payment = ValidCard } },
        { "no card", new { shippingAddress = Address } },
    };

    [Theory]
    [MemberData(nameof(BadCheckoutBodies))]
    public async Task A_bad_checkout_body_is_400_and_places_no_order(string because, object body)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);

        using var response = await fixture.CheckoutAsync(customer, body: body);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.Status == 400, $"{because}: {problem}");
        Assert.Empty(await fixture.OrdersOfAsync(customer));
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task A_checkout_without_an_idempotency_key_is_400_and_places_no_order()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        using var client = fixture.CreateClient("order-api");

        using var response = await client.SendAsync(Accounts.Authorized(
            HttpMethod.Post, "/api/orders", customer.AccessToken, new { shippingAddress = Address, payment = ValidCard }));

        Assert.Equal("Idempotency-Key required", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Title);
        Assert.Empty(await fixture.OrdersOfAsync(customer));
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task An_oversized_body_is_413_and_an_order_over_the_payment_limit_is_refused()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 600_000m, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 2);

        using var huge = await fixture.CheckoutAsync(customer, body: new { shippingAddress = Address, payment = Card(holderName: new string('x', 70_000)) });
        using var tooExpensive = await fixture.CheckoutAsync(customer);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        await tooExpensive.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Empty(await fixture.OrdersOfAsync(customer));
        Assert.Equal(0, (await fixture.StockAsync(product.Id)).Reserved);
    }

    [Fact]
    public async Task An_empty_cart_cannot_be_checked_out()
    {
        var customer = await fixture.SignUpAsync();

        using var response = await fixture.CheckoutAsync(customer);

        await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Empty(await fixture.OrdersOfAsync(customer));
    }

    private static CardInput ValidCard => Card(holderName: "Ada");
}
