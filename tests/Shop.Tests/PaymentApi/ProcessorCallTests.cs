using Npgsql;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.PaymentApi;

/// <summary>
/// What reaches the card processor when its answers are lost or late: every refund and reversal is paid
/// out once, refunds never pass the capture, and what was interrupted is finished by payment-api's
/// recovery. The simulated processor keeps its books in paymentdb; these tests read them to see what
/// was actually paid.
/// </summary>
[Collection(ShopCollections.Payments)]
public sealed class ProcessorCallTests(ShopAppFixture fixture) : SharedSystemTest
{
    /// <summary>The answer to the first request for each refund is lost; the refund itself is paid.</summary>
    private const string RefundAnswerLostOnce = "4000000000000077";

    /// <summary>Approved only after payment-api's recovery has given the payment up; the first reversal's answer is lost.</summary>
    private const string LateApproval = "4000000000000341";

    /// <summary>Longer than the recovery needs to finish anything (StaleProcessingAfter 10 s under tests, plus its 5 s interval).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private sealed record ProcessorOperation(string Kind, Guid Reference, decimal Amount, string Result);

    [Fact]
    public async Task A_processor_error_keeps_the_payment_Failed_and_the_retry_with_the_same_key_charges_that_payment_once()
    {
        var orderId = Guid.NewGuid();
        var key = Guid.NewGuid().ToString();

        using var failed = await ChargeAsync(orderId, 25m, Cards.ProcessorErrorOnce, key);
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.NotNull(failed.Headers.RetryAfter);
        var problem = await failed.Content.ReadFromJsonAsync<Problem>();
        var kept = Assert.Single(await PaymentsOfOrderAsync(orderId));
        Assert.Equal(problem!.PaymentId, kept.Id);
        Assert.Equal("Failed", kept.Status);
        Assert.Equal("processor_error", kept.DeclineReason);

        using var retried = await ChargeAsync(orderId, 25m, Cards.ProcessorErrorOnce, key);

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var charged = await retried.Content.ReadFromJsonAsync<PaymentView>();
        Assert.Equal(kept.Id, charged!.Id);
        Assert.Equal("Succeeded", charged.Status);
        Assert.Equal(new[] { ("Charge", 25m, "Approved") }, (await ProcessorBooksAsync(kept.Id)).Select(o => (o.Kind, o.Amount, o.Result)));
    }

    [Fact]
    public async Task A_refund_asked_for_again_after_its_key_record_is_gone_is_the_same_refund_and_pays_out_once()
    {
        var paymentId = await CapturedPaymentAsync(100m, Cards.Succeeds);
        var key = Guid.NewGuid().ToString();
        using var first = await RefundAsync(paymentId, 30m, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var refund = await first.Content.ReadFromJsonAsync<RefundView>();

        // The key's stored answer disappears (released after a failure, or expired), as if never recorded.
        await using (var db = new NpgsqlConnection(await fixture.ConnectionStringAsync("paymentdb")))
        {
            await db.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM idempotency_records WHERE key = $1", db) { Parameters = { new() { Value = key } } };
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }

        using var again = await RefundAsync(paymentId, 30m, key);
        using var otherAmount = await RefundAsync(paymentId, 31m, key);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(refund!.Id, (await again.Content.ReadFromJsonAsync<RefundView>())!.Id);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherAmount.StatusCode);
        Assert.Equal(new[] { 30m }, (await ProcessorBooksAsync(paymentId)).Where(o => o.Kind == "Refund").Select(o => o.Amount));
        Assert.Equal(30m, (await PaymentAsync(paymentId)).RefundedAmount);
    }

    [Fact]
    public async Task Concurrent_refunds_are_each_paid_out_once_and_together_never_above_the_capture()
    {
        var paymentId = await CapturedPaymentAsync(100m, Cards.Succeeds);

        var refunds = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await RefundAsync(paymentId, 30m);
            return response.StatusCode == HttpStatusCode.Created ? await response.Content.ReadFromJsonAsync<RefundView>() : null;
        }));

        var made = refunds.OfType<RefundView>().ToList();
        Assert.Equal(3, made.Count);
        Assert.All(made, r => Assert.Equal("Completed", r.Status));
        var paidOut = (await ProcessorBooksAsync(paymentId)).Where(o => o.Kind == "Refund").ToList();
        Assert.Equal(made.Select(r => r.Id).Order(), paidOut.Select(o => o.Reference).Order());
        Assert.Equal(90m, paidOut.Sum(o => o.Amount));
        var payment = await PaymentAsync(paymentId);
        Assert.Equal(90m, payment.RefundedAmount);
        Assert.Equal(0m, payment.RefundPendingAmount);
    }

    [Fact]
    public async Task A_refund_the_processor_does_not_confirm_stays_reserved_and_recovery_completes_it_paying_once()
    {
        var paymentId = await CapturedPaymentAsync(100m, RefundAnswerLostOnce);

        using var refunded = await RefundAsync(paymentId, 40m);
        Assert.Equal(HttpStatusCode.Created, refunded.StatusCode);
        var refund = await refunded.Content.ReadFromJsonAsync<RefundView>();
        Assert.Equal("Pending", refund!.Status);
        var pending = await PaymentAsync(paymentId);
        Assert.Equal((0m, 40m), (pending.RefundedAmount, pending.RefundPendingAmount));

        // The pending refund holds its amount: 40 + 61 would pass the capture.
        using var beyond = await RefundAsync(paymentId, 61m);
        Assert.Equal(HttpStatusCode.Conflict, beyond.StatusCode);

        var completed = await EventuallyAsync(
            async () => (await RefundsAsync(paymentId)).Single(r => r.Id == refund.Id),
            r => r.Status != "Pending");

        Assert.Equal("Completed", completed.Status);
        var payment = await PaymentAsync(paymentId);
        Assert.Equal((40m, 0m), (payment.RefundedAmount, payment.RefundPendingAmount));
        var paidOut = Assert.Single(await ProcessorBooksAsync(paymentId), o => o.Kind == "Refund");
        Assert.Equal((refund.Id, 40m), (paidOut.Reference, paidOut.Amount));
    }

    [Fact]
    public async Task An_approval_after_the_payment_was_given_up_is_reversed_recorded_and_asked_again_until_confirmed()
    {
        var orderId = Guid.NewGuid();
        var charging = ChargeAsync(orderId, 33m, LateApproval, Guid.NewGuid().ToString());

        // The recovery asks the processor, which knows no such charge yet: the payment is given up...
        var givenUp = await EventuallyAsync(async () => (await PaymentsOfOrderAsync(orderId)).SingleOrDefault(), p => p is { Status: not "Processing" });
        Assert.Equal(("Failed", "processor_interrupted"), (givenUp!.Status, givenUp.DeclineReason));
        // ... and the order fences it off, as order-api's recovery would.
        using var client = fixture.CreateClient("payment-api");
        using var voided = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/payments/void", await fixture.ServiceTokenAsync(),
            new { orderId, amount = 33m, currency = "EUR" }));
        Assert.Equal("Voided", (await voided.Content.ReadFromJsonAsync<PaymentView>())!.Status);

        // Then the approval arrives. The first request to reverse it gets no answer: recorded as pending.
        using var charged = await charging;
        Assert.Equal(HttpStatusCode.OK, charged.StatusCode);
        var late = await charged.Content.ReadFromJsonAsync<PaymentView>();
        Assert.Equal(("Voided", "Pending"), (late!.Status, late.Reversal));

        var confirmed = await EventuallyAsync(() => PaymentAsync(givenUp.Id), p => p.Reversal != "Pending");

        Assert.Equal(("Voided", "Confirmed"), (confirmed.Status, confirmed.Reversal));
        Assert.Equal(
            new[] { ("Charge", 33m, "Approved"), ("Reversal", 33m, "Approved") },
            (await ProcessorBooksAsync(givenUp.Id)).Select(o => (o.Kind, o.Amount, o.Result)));
    }

    [Fact]
    public async Task Concurrent_charges_and_voids_of_one_order_answer_200_201_or_409_and_leave_one_payment()
    {
        var orderId = Guid.NewGuid();
        var token = await fixture.ServiceTokenAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            if (i % 2 == 0)
            {
                using var charge = await ChargeAsync(orderId, 12m, Cards.Succeeds, Guid.NewGuid().ToString());
                return charge.StatusCode;
            }

            using var client = fixture.CreateClient("payment-api");
            using var voided = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/payments/void", token, new { orderId, amount = 12m, currency = "EUR" }));
            return voided.StatusCode;
        }));

        Assert.All(answers, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var payment = Assert.Single(await PaymentsOfOrderAsync(orderId));
        Assert.Contains(payment.Status, new[] { "Succeeded", "Voided" });
    }

    private async Task<HttpResponseMessage> ChargeAsync(Guid orderId, decimal amount, string card, string key)
    {
        using var client = fixture.CreateClient("payment-api");
        client.Timeout = TimeSpan.FromMinutes(2);
        var request = Accounts.Authorized(HttpMethod.Post, "/api/payments", await fixture.ServiceTokenAsync(), new { orderId, amount, currency = "EUR", card = Card(card) });
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private async Task<Guid> CapturedPaymentAsync(decimal amount, string card)
    {
        using var charged = await ChargeAsync(Guid.NewGuid(), amount, card, Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, charged.StatusCode);
        return (await charged.Content.ReadFromJsonAsync<PaymentView>())!.Id;
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid paymentId, decimal amount, string? key = null)
    {
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, $"/api/payments/{paymentId}/refunds", await fixture.ServiceTokenAsync(), new { amount });
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private async Task<PaymentView> PaymentAsync(Guid paymentId)
    {
        using var client = fixture.CreateClient("payment-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments/{paymentId}", await fixture.AdminTokenAsync()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<PaymentView>())!;
    }

    private async Task<List<PaymentView>> PaymentsOfOrderAsync(Guid orderId)
    {
        using var client = fixture.CreateClient("payment-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments?orderId={orderId}", await fixture.AdminTokenAsync()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<PaymentView>>())!;
    }

    private async Task<List<RefundView>> RefundsAsync(Guid paymentId)
    {
        using var client = fixture.CreateClient("payment-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, $"/api/payments/{paymentId}/refunds", await fixture.AdminTokenAsync()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<RefundView>>())!;
    }

    /// <summary>What the simulated processor has done for a payment, oldest first.</summary>
    private async Task<List<ProcessorOperation>> ProcessorBooksAsync(Guid paymentId)
    {
        await using var connection = new NpgsqlConnection(await fixture.ConnectionStringAsync("paymentdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT kind, reference, amount, result FROM simulated_processor_operations WHERE payment_id = $1 ORDER BY created_at, kind", connection)
        {
            Parameters = { new() { Value = paymentId } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var operations = new List<ProcessorOperation>();
        while (await reader.ReadAsync())
        {
            operations.Add(new ProcessorOperation(reader.GetString(0), reader.GetGuid(1), reader.GetDecimal(2), reader.GetString(3)));
        }

        return operations;
    }

    /// <summary>Asks until the answer is <paramref name="done"/> or <see cref="Patience"/> runs out, and returns the last answer.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var answer = await ask();
            if (done(answer) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }
}
