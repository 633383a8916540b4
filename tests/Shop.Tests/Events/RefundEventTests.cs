using Shop.Tests.Infrastructure;

namespace Shop.Tests.Events;

/// <summary>
/// payment-api's PaymentRefunded events show on the order without order-api asking: an administrator's refunds
/// at payment-api add up on the order and a full one makes it Refunded; a cancellation's refund shows on the
/// cancelled order, which stays Cancelled, and refunds what an administrator had not; and an event that comes
/// twice counts once.
/// </summary>
[Collection(ShopCollections.Orders)]
public sealed class RefundEventTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task An_administrators_refunds_at_payment_api_show_on_the_order_and_a_full_one_makes_it_refunded()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 10m, stock: 10);
        var (customer, orderId) = await fixture.BuyAsync(product.Id, quantity: 2);
        var payment = (await fixture.PaymentsOfAsync(orderId)).Single();
        var admin = await fixture.AdminTokenAsync();

        using (var byCustomer = await RefundAsync(payment.Id, 5m, customer.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
        }

        using (var partial = await RefundAsync(payment.Id, 5m, admin))
        {
            var refund = await partial.ReadAsAsync<RefundView>(HttpStatusCode.Created);
            Assert.Equal("Completed", refund.Status);

            var afterPartial = await UntilOrderAsync(customer, orderId, o => o.RefundedAmount == 5m);
            Assert.Equal("Paid", afterPartial.Status);

            // The same event again, as a relay that lost the broker's acknowledgement sends it: it counts once.
            await fixture.PublishAsync("shop.payments.payment-refunded.v1", new
            {
                eventId = Guid.NewGuid(), occurredAt = DateTimeOffset.UtcNow, refundId = refund.Id, paymentId = payment.Id, orderId,
                amount = 5m, refundedTotal = 5m, paymentAmount = 20m, currency = "EUR",
            }, Guid.NewGuid());
        }

        using (var rest = await RefundAsync(payment.Id, 15m, admin))
        {
            Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
        }

        var refunded = await UntilOrderAsync(customer, orderId, o => o.Status == "Refunded");
        Assert.Equal(20m, refunded.RefundedAmount);
        using var client = fixture.CreateClient("order-api");
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(20m, (await fixture.OrderAsync(customer, orderId)).RefundedAmount);
    }

    [Fact]
    public async Task A_cancellations_refund_shows_on_the_order_which_stays_cancelled()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 7m, stock: 10);
        var (customer, orderId) = await fixture.BuyAsync(product.Id, quantity: 3);

        using var client = fixture.CreateClient("order-api");
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));
        Assert.Equal("Cancelled", (await cancel.ReadAsAsync<OrderView>()).Status);

        var order = await UntilOrderAsync(customer, orderId, o => o.RefundedAmount == 21m);
        Assert.Equal("Cancelled", order.Status);
    }

    [Fact]
    public async Task Cancelling_a_partly_refunded_order_refunds_the_rest()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, price: 10m, stock: 10);
        var (customer, orderId) = await fixture.BuyAsync(product.Id, quantity: 3);
        var payment = (await fixture.PaymentsOfAsync(orderId)).Single();
        using (var goodwill = await RefundAsync(payment.Id, 12m, await fixture.AdminTokenAsync()))
        {
            Assert.Equal(HttpStatusCode.Created, goodwill.StatusCode);
        }

        using var client = fixture.CreateClient("order-api");
        using var cancel = await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/orders/{orderId}/cancel", customer.AccessToken));

        Assert.Equal("Cancelled", (await cancel.ReadAsAsync<OrderView>()).Status);
        Assert.Equal(30m, (await fixture.PaymentsOfAsync(orderId)).Single().RefundedAmount);
        var order = await UntilOrderAsync(customer, orderId, o => o.RefundedAmount == 30m);
        Assert.Equal("Cancelled", order.Status);
    }

    private async Task<HttpResponseMessage> RefundAsync(Guid paymentId, decimal amount, string token)
    {
        using var client = fixture.CreateClient("payment-api");
        var request = Accounts.Authorized(HttpMethod.Post, $"/api/payments/{paymentId}/refunds", token, new { amount });
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private Task<OrderView> UntilOrderAsync(SignedInUser customer, Guid orderId, Func<OrderView, bool> wanted) =>
        Eventually.UntilAsync(() => fixture.OrderAsync(customer, orderId), wanted, $"order {orderId} as wanted");
}
