using Npgsql;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.PaymentApi;

[Collection(ShopCollections.Payments)]
public sealed class PaymentTests(ShopAppFixture fixture) : SharedSystemTest
{
    private async Task<HttpResponseMessage> ChargeAsync(Guid orderId, decimal amount, object card, string? key = null, string currency = "EUR")
    {
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, "/api/payments", await fixture.ServiceTokenAsync(), new { orderId, amount, currency, card });
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid paymentId, decimal amount, string? key = null)
    {
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, $"/api/payments/{paymentId}/refunds", await fixture.ServiceTokenAsync(), new { amount });
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private async Task<Guid> CapturedPaymentAsync(decimal amount)
    {
        using var charged = await ChargeAsync(Guid.NewGuid(), amount, Card());
        var payment = await charged.ReadAsAsync<PaymentView>(HttpStatusCode.Created);
        Assert.Equal(("Succeeded", amount), (payment.Status, payment.Amount));
        return payment.Id;
    }

    private static CardInput ValidCard => Card(holderName: "Ada");

    [Fact]
    public async Task Concurrent_refunds_cannot_exceed_the_captured_amount()
    {
        var paymentId = await CapturedPaymentAsync(100m);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await RefundAsync(paymentId, 30m);
            return response.StatusCode;
        }));

        Assert.Equal(3, attempts.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(3, attempts.Count(s => s == HttpStatusCode.Conflict));
        using var client = fixture.CreateClient("payment-api");
        using var read = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments/{paymentId}", await fixture.AdminTokenAsync()));
        Assert.Equal(90m, (await read.ReadAsAsync<PaymentView>()).RefundedAmount);

        using var rest = await RefundAsync(paymentId, 10m);
        using var beyond = await RefundAsync(paymentId, 0.01m);
        var last = await rest.ReadAsAsync<RefundView>(HttpStatusCode.Created);
        Assert.Equal((paymentId, 10m, 100m), (last.PaymentId, last.Amount, last.PaymentRefundedAmount));
        await beyond.ReadProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_refund_replayed_with_its_key_refunds_once()
    {
        var paymentId = await CapturedPaymentAsync(50m);
        var key = Guid.NewGuid().ToString();

        using var first = await RefundAsync(paymentId, 20m, key);
        using var replay = await RefundAsync(paymentId, 20m, key);
        using var reused = await RefundAsync(paymentId, 25m, key);

        var refund = await first.ReadAsAsync<RefundView>(HttpStatusCode.Created);
        Assert.Equal(refund.Id, (await replay.ReadAsAsync<RefundView>(HttpStatusCode.Created)).Id);
        Assert.Equal("Idempotency-Key reused", (await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity)).Title);
        using var client = fixture.CreateClient("payment-api");
        using var listed = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments/{paymentId}/refunds", await fixture.AdminTokenAsync()));
        var refunds = await listed.ReadAsAsync<List<RefundView>>();
        Assert.Equal((refund.Id, 20m), (Assert.Single(refunds).Id, refunds[0].Amount));
    }

    [Fact]
    public async Task An_order_is_charged_once_whatever_the_keys_and_a_voided_order_never()
    {
        var orderId = Guid.NewGuid();
        using var first = await ChargeAsync(orderId, 12m, Card());
        using var second = await ChargeAsync(orderId, 12m, Card());
        using var otherAmount = await ChargeAsync(orderId, 13m, Card());
        var charged = await first.ReadAsAsync<PaymentView>(HttpStatusCode.Created);
        Assert.Equal(charged.Id, (await second.ReadAsAsync<PaymentView>(HttpStatusCode.OK)).Id);
        await otherAmount.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(charged.Id, Assert.Single(await fixture.PaymentsOfAsync(orderId)).Id);

        var abandoned = Guid.NewGuid();
        using var client = fixture.CreateClient("payment-api");
        using var voided = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/payments/void", await fixture.ServiceTokenAsync(),
            new { orderId = abandoned, amount = 12m, currency = "EUR" }));
        using var late = await ChargeAsync(abandoned, 12m, Card());
        Assert.Equal("Voided", (await voided.ReadAsAsync<PaymentView>()).Status);
        Assert.Equal("Voided", (await late.ReadAsAsync<PaymentView>(HttpStatusCode.OK)).Status);
    }

    [Fact]
    public async Task Only_declines_and_captures_are_refund_candidates_and_unknown_payments_are_404()
    {
        using var declined = await ChargeAsync(Guid.NewGuid(), 10m, Card(Cards.Declined));
        var payment = await declined.ReadAsAsync<PaymentView>(HttpStatusCode.Created);
        Assert.Equal(("Declined", "card_declined"), (payment.Status, payment.DeclineReason));
        var declinedId = payment.Id;

        using var refundDeclined = await RefundAsync(declinedId, 5m);
        using var refundUnknown = await RefundAsync(Guid.NewGuid(), 5m);

        await refundDeclined.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, refundUnknown.StatusCode);
    }

    /// <summary>Charges payment-api must refuse, each with the reason, as a body for the given order.</summary>
    public static TheoryData<string, Func<Guid, object>> BadCharges => new()
    {
        { "a card number failing the Luhn check", orderId => new { orderId, amount = 10m, currency = "EUR", card = ValidCard with { Number = "4242424242424243" } } },
        { "an expired card", orderId => new { orderId, amount = 10m, currency = "EUR", card = ValidCard with { ExpYear = DateTime.UtcNow.Year - 1 } } },
        { "a CVC of two digits", orderId => new { orderId, amount = 10m, currency = "EUR", card = ValidCard with { Cvc = "12" } } },
        { "a card number of five digits", orderId => new { orderId, amount = 10m, currency = "EUR", card = ValidCard with { Number = "42424" } } },
        { "a zero amount", orderId => new { orderId, amount = 0m, currency = "EUR", card = ValidCard } },
        { "a negative amount", orderId => new { orderId, amount = -5m, currency = "EUR", card = ValidCard } },
        { "an amount with three decimals", orderId => new { orderId, amount = 1.005m, currency = "EUR", card = ValidCard } },
        { "a currency that is no ISO 4217 code", orderId => new { orderId, amount = 10m, currency = "euro", card = ValidCard } },
        { "no card", orderId => new { orderId, amount = 10m, currency = "EUR" } },
        { "no order", _ => new { amount = 10m, currency = "EUR", card = ValidCard } },
    };

    [Theory]
    [MemberData(nameof(BadCharges))]
    public async Task Bad_charges_are_400_and_store_nothing(string because, Func<Guid, object> bodyFor)
    {
        var orderId = Guid.NewGuid();
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, "/api/payments", await fixture.ServiceTokenAsync(), bodyFor(orderId));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.ErrorFields.Any(), $"{because}: the problem names no field: {problem}");
        Assert.Empty(await fixture.PaymentsOfAsync(orderId));
    }

    [Fact]
    public async Task Customers_cannot_charge_and_anonymous_callers_cannot_read()
    {
        var customer = await fixture.SignUpAsync();
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, "/api/payments", customer.AccessToken, new { orderId = Guid.NewGuid(), amount = 1m, currency = "EUR", card = Card() });
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var charge = await client.SendAsync(request);
        using var read = await client.GetAsync($"/api/payments?orderId={Guid.NewGuid()}");
        using var customerRead = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments?orderId={Guid.NewGuid()}", customer.AccessToken));

        Assert.Equal(HttpStatusCode.Forbidden, charge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, customerRead.StatusCode);
    }

    [Fact]
    public async Task The_full_card_number_and_CVC_are_stored_nowhere()
    {
        const string number = "4000056655665556";
        const string cvc = "987";
        using var charged = await ChargeAsync(Guid.NewGuid(), 10m, Card(number) with { Cvc = cvc });
        Assert.Equal("5556", (await charged.ReadAsAsync<PaymentView>(HttpStatusCode.Created)).CardLast4);
        var body = await charged.Content.ReadAsStringAsync();
        Assert.DoesNotContain(number, body);
        Assert.Contains("\"cardLast4\":\"5556\"", body);

        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("paymentdb"));
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "SELECT count(*) FROM payments p WHERE row_to_json(p)::text LIKE '%' || $1 || '%'",
            "SELECT count(*) FROM idempotency_records r WHERE convert_from(coalesce(r.response_body, ''::bytea), 'UTF8') LIKE '%' || $1 || '%' OR encode(r.request_fingerprint, 'escape') LIKE '%' || $1 || '%'",
        })
        {
            foreach (var secret in new[] { number, "\"cvc\":\"987\"" })
            {
                await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = secret } } };
                Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
            }
        }
    }
}
