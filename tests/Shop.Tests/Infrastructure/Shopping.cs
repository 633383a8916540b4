namespace Shop.Tests.Infrastructure;

/// <summary>Cart and checkout through order-api, and the checks a test needs in payment-api.</summary>
public static class Shopping
{
    public static class Cards
    {
        public const string Succeeds = "4242424242424242";
        public const string Declined = "4000000000000002";
        public const string InsufficientFunds = "4000000000009995";
        public const string ProcessorErrorOnce = "4000000000000119";
        public const string Slow = "4000000000006975";
    }

    /// <summary>A card that passes every check, valid for two more years; change one member with <c>with</c> to break it.</summary>
    public static CardInput Card(string number = Cards.Succeeds, string holderName = "Ada Lovelace") =>
        new(number, ExpMonth: 12, ExpYear: DateTime.UtcNow.Year + 2, Cvc: "123", holderName);

    /// <summary>A card as a client sends it to order-api or payment-api.</summary>
    public sealed record CardInput(string Number, int ExpMonth, int ExpYear, string Cvc, string HolderName);

    public static readonly object Address = new
    {
        recipientName = "Ada Lovelace",
        line1 = "12 St James's Square",
        city = "London",
        postalCode = "SW1Y 4JH",
        country = "GB",
    };

    public static async Task SetCartQuantityAsync(this ShopAppFixture fixture, SignedInUser customer, Guid productId, int quantity)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Put, $"/api/cart/items/{productId}", customer.AccessToken, new { quantity }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task<HttpResponseMessage> CheckoutAsync(this ShopAppFixture fixture, SignedInUser customer, string? card = null, string? key = null, object? body = null)
    {
        using var client = fixture.CreateClient("order-api");
        client.Timeout = TimeSpan.FromMinutes(2);
        var request = Accounts.Authorized(HttpMethod.Post, "/api/orders", customer.AccessToken, body ?? new { shippingAddress = Address, payment = Card(card ?? Cards.Succeeds) });
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    public static async Task<CartView> CartAsync(this ShopAppFixture fixture, SignedInUser customer)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/cart", customer.AccessToken));
        return await response.ReadAsAsync<CartView>();
    }

    public static async Task<OrderView> OrderAsync(this ShopAppFixture fixture, SignedInUser customer, Guid orderId)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/orders/{orderId}", customer.AccessToken));
        return await response.ReadAsAsync<OrderView>();
    }

    /// <summary>Waits until the order's saga has nothing left to do, and returns it.</summary>
    public static async Task<OrderView> SettledOrderAsync(this ShopAppFixture fixture, SignedInUser customer, Guid orderId, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var order = await fixture.OrderAsync(customer, orderId);
            if (!order.InProgress || DateTime.UtcNow > deadline)
            {
                return order;
            }

            await Task.Delay(250);
        }
    }

    public static async Task<IReadOnlyList<OrderView>> OrdersOfAsync(this ShopAppFixture fixture, SignedInUser customer)
    {
        using var client = fixture.CreateClient("order-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/orders?limit=100", customer.AccessToken));
        return (await response.ReadAsAsync<OrderPageView>()).Items;
    }

    /// <summary>The payments payment-api holds for an order, as a service sees them.</summary>
    public static async Task<IReadOnlyList<PaymentView>> PaymentsOfAsync(this ShopAppFixture fixture, Guid orderId)
    {
        using var client = fixture.CreateClient("payment-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments?orderId={orderId}", await fixture.ServiceTokenAsync()));
        return await response.ReadAsAsync<List<PaymentView>>();
    }

    /// <summary>The order a checkout answer names: the placed order, or the <c>orderId</c> of a refused or failed checkout's problem.</summary>
    public static async Task<Guid> OrderIdOfAsync(HttpResponseMessage checkout)
    {
        var body = await checkout.Content.ReadFromJsonAsync<CheckoutBody>();
        var orderId = body?.OrderId ?? body?.Id;
        Assert.True(orderId is not null, $"the checkout answer {(int)checkout.StatusCode} names no order: {await checkout.Content.ReadAsStringAsync()}");
        return orderId.Value;
    }

    private sealed record CheckoutBody(Guid? Id, Guid? OrderId);
}
