using System.Collections.Concurrent;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// A product of its own and customers who each have <see cref="Quantity"/> of it in their cart, ready for a
/// burst of checkouts into which a test injects a fault. Each customer checks out once, under one
/// Idempotency-Key that every retry reuses, as a client that lost an answer must. Every answer is recorded;
/// <see cref="AssertInvariantsAsync"/> then checks what must hold whatever broke.
/// </summary>
public sealed class FaultScenario
{
    public const int Quantity = 2;
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private readonly ShopAppFixture _fixture;
    private readonly Dictionary<Guid, string> _keys;
    private readonly ConcurrentQueue<CheckoutAnswer> _answers = new();

    private FaultScenario(ShopAppFixture fixture, TestProduct product, int initialStock, IReadOnlyList<SignedInUser> customers)
    {
        _fixture = fixture;
        Product = product;
        InitialStock = initialStock;
        Customers = customers;
        _keys = customers.ToDictionary(c => c.Id, _ => Guid.NewGuid().ToString());
    }

    public TestProduct Product { get; }

    public int InitialStock { get; }

    public IReadOnlyList<SignedInUser> Customers { get; }

    /// <summary>Every answer any checkout attempt got, in the order they came.</summary>
    public IReadOnlyCollection<CheckoutAnswer> Answers => _answers;

    /// <summary>The product and the accounts; carts are filled separately (order-api may not be up yet).</summary>
    public static async Task<FaultScenario> CreateAsync(ShopAppFixture fixture, int customers, int stock = 100)
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 12.5m, stock: stock);
        var accounts = await Task.WhenAll(Enumerable.Range(0, customers).Select(_ => fixture.SignUpAsync()));
        return new FaultScenario(fixture, product, stock, accounts);
    }

    public Task FillCartsAsync() =>
        Task.WhenAll(Customers.Select(customer => _fixture.SetCartQuantityAsync(customer, Product.Id, Quantity)));

    /// <summary>
    /// One attempt; <see cref="CheckoutAnswer.Status"/> is null when the connection broke, or no answer came
    /// within <paramref name="timeout"/> (90 s unless given), as a client gives up waiting.
    /// </summary>
    public async Task<CheckoutAnswer> CheckoutOnceAsync(SignedInUser customer, string card = Cards.Succeeds, TimeSpan? timeout = null)
    {
        CheckoutAnswer answer;
        try
        {
            using var client = _fixture.CreateClient("order-api");
            client.Timeout = timeout ?? TimeSpan.FromSeconds(90);
            using var request = Accounts.Authorized(HttpMethod.Post, "/api/orders", customer.AccessToken, new { shippingAddress = Address, payment = Card(card) });
            request.Headers.Add("Idempotency-Key", _keys[customer.Id]);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var parsed = body.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json") == true
                ? System.Text.Json.JsonSerializer.Deserialize<CheckoutBody>(body, System.Text.Json.JsonSerializerOptions.Web)
                : null;
            answer = new CheckoutAnswer(customer, card, response.StatusCode, parsed?.OrderId ?? parsed?.Id, response.Headers.RetryAfter is not null, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            answer = new CheckoutAnswer(customer, card, null, null, false, ex.Message);
        }

        _answers.Enqueue(answer);
        return answer;
    }

    /// <summary>
    /// Checks out, and asks again with the same key (and card: the same request) while the answer says to (no answer, 5xx, or 409 with
    /// Retry-After for a request still in progress), until one names the order or refuses for good.
    /// </summary>
    public async Task<CheckoutAnswer> CheckoutUntilAnsweredAsync(SignedInUser customer, string card, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var answer = await CheckoutOnceAsync(customer, card);
            if (!answer.AsksToRetry || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(RetryPause);
        }
    }

    /// <summary>
    /// What must hold after any fault, once the system has had <paramref name="patience"/> to recover:
    /// nothing accepted is lost and nothing is ordered twice (each customer has exactly the one order the
    /// checkout answers named, or none); every order reaches a terminal state; a paid order has exactly one
    /// captured payment for its total and any other order keeps no money; refunds never exceed captures;
    /// and stock went down by exactly the units paid for, with nothing left reserved and nothing negative.
    /// </summary>
    public async Task<IReadOnlyList<OrderView>> AssertInvariantsAsync(TimeSpan patience)
    {
        var named = Answers.Where(a => a.OrderId is not null).GroupBy(a => a.Customer.Id)
            .ToDictionary(g => g.Key, g => g.Select(a => a.OrderId!.Value).Distinct().ToList());
        foreach (var (customer, orderIds) in named)
        {
            Assert.True(orderIds.Count == 1, $"customer {customer}'s one checkout key was answered with several orders: {string.Join(", ", orderIds)}");
        }

        var deadline = DateTime.UtcNow + patience;
        var orders = new List<OrderView>();
        foreach (var customer in Customers)
        {
            var listed = await OrdersOfAsync(customer);
            var expected = named.TryGetValue(customer.Id, out var ids) ? ids : [];
            Assert.True(
                listed.Select(o => o.Id).Order().SequenceEqual(expected.Order()),
                $"customer {customer.Id} has orders [{string.Join(", ", listed.Select(o => $"{o.Id} {o.Status}"))}] but was answered [{string.Join(", ", expected)}]");
            foreach (var orderId in expected)
            {
                orders.Add(await SettledAsync(customer, orderId, deadline));
            }
        }

        foreach (var order in orders)
        {
            Assert.False(order.InProgress, $"order {order.Id} never settled: {order.Status} ({order.FailureReason})");
            Assert.Contains(order.Status, TerminalCheckoutStatuses);

            // payment-api keeps at most one payment per order, always for the order's total; what it kept
            // (captured minus refunded) is the total for a paid order and nothing for any other.
            var payments = await PaymentsAsync(order.Id);
            Assert.True(payments.Count <= 1, $"order {order.Id} has {payments.Count} payments");
            Assert.All(payments, payment => Assert.Equal(order.Total, payment.Amount));
            foreach (var payment in payments)
            {
                Assert.InRange(payment.RefundedAmount, 0m, payment.Amount);
                Assert.Equal(payment.RefundedAmount, (await RefundsAsync(payment.Id)).Sum(r => r.Amount));
            }

            var kept = payments.Where(p => p.Status == "Succeeded").Sum(p => p.Amount - p.RefundedAmount);
            Assert.True(kept == (order.Status == "Paid" ? order.Total : 0m), $"order {order.Id} is {order.Status} and {kept} was kept of its payments");
        }

        var paidUnits = orders.Where(o => o.Status == "Paid").SelectMany(o => o.Lines).Where(l => l.ProductId == Product.Id).Sum(l => l.Quantity);
        var stock = await StockAsync();
        Assert.Equal(new StockView(Product.Id, InitialStock - paidUnits, 0, InitialStock - paidUnits), stock);
        return orders;
    }

    public static readonly string[] TerminalCheckoutStatuses = ["Paid", "Rejected", "PaymentFailed"];

    private async Task<OrderView> SettledAsync(SignedInUser customer, Guid orderId, DateTime deadline)
    {
        while (true)
        {
            var order = await ReadAsync<OrderView>("order-api", $"/api/orders/{orderId}", customer.AccessToken);
            if (!order.InProgress || DateTime.UtcNow > deadline)
            {
                return order;
            }

            await Task.Delay(250);
        }
    }

    private async Task<List<OrderView>> OrdersOfAsync(SignedInUser customer) =>
        [.. (await ReadAsync<OrderPageView>("order-api", "/api/orders?limit=100", customer.AccessToken)).Items];

    private async Task<List<PaymentView>> PaymentsAsync(Guid orderId) =>
        await ReadAsync<List<PaymentView>>("payment-api", $"/api/payments?orderId={orderId}", await _fixture.ServiceTokenAsync());

    private async Task<List<RefundView>> RefundsAsync(Guid paymentId) =>
        await ReadAsync<List<RefundView>>("payment-api", $"/api/payments/{paymentId}/refunds", await _fixture.ServiceTokenAsync());

    private async Task<StockView> StockAsync() =>
        await ReadAsync<StockView>("catalog-api", $"/api/products/{Product.Id}/stock", await _fixture.AdminTokenAsync());

    // Reads come after the fault is over; a service that has only just got its connections back may still
    // fail a request or two, which is what the outage assertions of each test are about, not this check.
    private async Task<T> ReadAsync<T>(string service, string path, string accessToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var client = _fixture.CreateClient(service);
            using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, path, accessToken));
            if ((int)response.StatusCode < 500 || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} at {service}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                return (await response.Content.ReadFromJsonAsync<T>())!;
            }

            await Task.Delay(500);
        }
    }

    private sealed record CheckoutBody(Guid? Id, Guid? OrderId);
}

/// <summary>One checkout attempt's answer: its status (null when the connection broke first) and the order it names, if any.</summary>
public sealed record CheckoutAnswer(SignedInUser Customer, string Card, HttpStatusCode? Status, Guid? OrderId, bool HasRetryAfter, string Body)
{
    public bool AsksToRetry =>
        Status is null || (int)Status >= 500 || (Status == HttpStatusCode.Conflict && OrderId is null && HasRetryAfter);

    public override string ToString() => $"{(Status is { } status ? (int)status : "no answer")} {OrderId} {Body}";
}
