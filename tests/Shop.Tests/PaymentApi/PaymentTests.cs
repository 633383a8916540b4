using System.Text.Json;
using Npgsql;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.PaymentApi;

[Collection(ShopCollection.Name)]
public sealed class PaymentTests(ShopAppFixture fixture)
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
        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        return (await charged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

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
        Assert.Equal(90m, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refundedAmount").GetDecimal());

        using var rest = await RefundAsync(paymentId, 10m);
        using var beyond = await RefundAsync(paymentId, 0.01m);
        Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, beyond.StatusCode);
    }

    [Fact]
    public async Task A_refund_replayed_with_its_key_refunds_once()
    {
        var paymentId = await CapturedPaymentAsync(50m);
        var key = Guid.NewGuid().ToString();

        using var first = await RefundAsync(paymentId, 20m, key);
        using var replay = await RefundAsync(paymentId, 20m, key);
        using var reused = await RefundAsync(paymentId, 25m, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(
            (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
            (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        using var client = fixture.CreateClient("payment-api");
        var refunds = await (await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments/{paymentId}/refunds", await fixture.AdminTokenAsync())))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, refunds.GetArrayLength());
    }

    [Fact]
    public async Task An_order_is_charged_once_whatever_the_keys_and_a_voided_order_never()
    {
        var orderId = Guid.NewGuid();
        using var first = await ChargeAsync(orderId, 12m, Card());
        using var second = await ChargeAsync(orderId, 12m, Card());
        using var otherAmount = await ChargeAsync(orderId, 13m, Card());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherAmount.StatusCode);
        Assert.Single(await fixture.PaymentsOfAsync(orderId));

        var abandoned = Guid.NewGuid();
        using var client = fixture.CreateClient("payment-api");
        using var voided = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/payments/void", await fixture.ServiceTokenAsync(),
            new { orderId = abandoned, amount = 12m, currency = "EUR" }));
        using var late = await ChargeAsync(abandoned, 12m, Card());
        Assert.Equal("Voided", (await voided.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal("Voided", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Only_declines_and_captures_are_refund_candidates_and_unknown_payments_are_404()
    {
        using var declined = await ChargeAsync(Guid.NewGuid(), 10m, Card(Cards.Declined));
        var declinedId = (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var refundDeclined = await RefundAsync(declinedId, 5m);
        using var refundUnknown = await RefundAsync(Guid.NewGuid(), 5m);

        Assert.Equal(HttpStatusCode.Conflict, refundDeclined.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refundUnknown.StatusCode);
    }

    public static TheoryData<string> BadCharges => ["luhn", "expired", "cvc", "short-number", "zero", "negative", "three-decimals", "currency", "no-card", "no-order"];

    [Theory]
    [MemberData(nameof(BadCharges))]
    public async Task Bad_charges_are_400_and_store_nothing(string kind)
    {
        var orderId = Guid.NewGuid();
        var card = new { number = Cards.Succeeds, expMonth = 12, expYear = DateTime.UtcNow.Year + 1, cvc = "123", holderName = "Ada" };
        using var client = fixture.CreateClient("payment-api");
        object body = kind switch
        {
            "luhn" => new { orderId, amount = 10m, currency = "EUR", card = card with { number = "4242424242424243" } },
            "expired" => new { orderId, amount = 10m, currency = "EUR", card = card with { expYear = DateTime.UtcNow.Year - 1 } },
            "cvc" => new { orderId, amount = 10m, currency = "EUR", card = card with { cvc = "12" } },
            "short-number" => new { orderId, amount = 10m, currency = "EUR", card = card with { number = "42424" } },
            "zero" => new { orderId, amount = 0m, currency = "EUR", card },
            "negative" => new { orderId, amount = -5m, currency = "EUR", card },
            "three-decimals" => new { orderId, amount = 1.005m, currency = "EUR", card },
            "currency" => new { orderId, amount = 10m, currency = "euro", card },
            "no-card" => (object)new { orderId, amount = 10m, currency = "EUR" },
            _ => new { amount = 10m, currency = "EUR", card },
        };
        var request = Accounts.Authorized(HttpMethod.Post, "/api/payments", await fixture.ServiceTokenAsync(), body);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
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
        using var charged = await ChargeAsync(Guid.NewGuid(), 10m, new { number, expMonth = 12, expYear = DateTime.UtcNow.Year + 1, cvc, holderName = "Ada" });
        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
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
