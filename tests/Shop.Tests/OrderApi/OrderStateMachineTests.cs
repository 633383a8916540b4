using Shop.OrderApi.Model;

namespace Shop.Tests.OrderApi;

/// <summary>The order's transitions as plain objects: legal paths end where they should, illegal moves are refused.</summary>
public sealed class OrderStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Order NewOrder() => Order.Place(
        Guid.NewGuid(), "key-1", [new OrderLine(Guid.NewGuid(), "SKU-1", "Kettle", 19.99m, 2), new OrderLine(Guid.NewGuid(), "SKU-2", "Mug", 5m, 1)],
        "EUR", new ShippingAddress("Ada", "1 Street", null, "London", null, "N1", "GB", null), Now, Now.AddMinutes(2));

    [Fact]
    public void A_new_order_is_pending_reserving_with_the_total_of_its_lines()
    {
        var order = NewOrder();

        Assert.Equal((OrderStatus.Pending, SagaStep.Reserving), (order.Status, order.Step));
        Assert.Equal(44.98m, order.Total);
        Assert.False(order.IsSettled);
    }

    [Fact]
    public void The_happy_path_ends_paid_and_then_shipped()
    {
        var order = NewOrder();

        order.Reserved(Now);
        order.Charged(Guid.NewGuid(), "visa", "4242", Now);
        order.Committed(Now);

        Assert.Equal((OrderStatus.Paid, SagaStep.None), (order.Status, order.Step));
        Assert.Equal(Now, order.PaidAt);
        Assert.True(order.TryShip(Now));
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.False(order.TryShip(Now));
        Assert.False(order.TryStartCancel(Now, Now));
    }

    [Fact]
    public void A_decline_releases_the_stock_before_the_order_fails()
    {
        var order = NewOrder();
        order.Reserved(Now);

        order.NotCharged("declined", Guid.NewGuid(), Now);

        Assert.Equal((OrderStatus.Pending, SagaStep.Releasing), (order.Status, order.Step));
        order.Released(Now);
        Assert.Equal((OrderStatus.PaymentFailed, SagaStep.None), (order.Status, order.Step));
    }

    [Fact]
    public void A_lost_reservation_after_payment_refunds_and_rejects()
    {
        var order = NewOrder();
        order.Reserved(Now);
        order.Charged(Guid.NewGuid(), "visa", "4242", Now);

        order.CommitRefused("expired", Now);
        order.Refunded(Now);

        Assert.Equal((OrderStatus.Rejected, SagaStep.None), (order.Status, order.Step));
    }

    [Fact]
    public void Cancelling_refunds_then_restocks_and_only_once()
    {
        var order = NewOrder();
        order.Reserved(Now);
        order.Charged(Guid.NewGuid(), "visa", "4242", Now);
        order.Committed(Now);

        Assert.True(order.TryStartCancel(Now, Now.AddMinutes(2)));
        Assert.False(order.TryStartCancel(Now, Now.AddMinutes(2)));
        order.Refunded(Now);
        Assert.Equal(SagaStep.Restocking, order.Step);
        order.Restocked(Now);

        Assert.Equal((OrderStatus.Cancelled, SagaStep.None), (order.Status, order.Step));
        Assert.False(order.TryStartCancel(Now, Now));
        Assert.False(order.TryShip(Now));
    }

    [Fact]
    public void Out_of_touch_steps_are_refused()
    {
        var order = NewOrder();

        Assert.Throws<InvalidOperationException>(() => order.Committed(Now));
        Assert.Throws<InvalidOperationException>(() => order.Charged(Guid.NewGuid(), null, null, Now));
        Assert.Throws<InvalidOperationException>(() => order.Restocked(Now));
        Assert.False(order.TryShip(Now));
        Assert.False(order.TryStartCancel(Now, Now));

        order.OutOfStock("none left", Now);
        Assert.Equal(OrderStatus.Rejected, order.Status);
        Assert.Throws<InvalidOperationException>(() => order.Reserved(Now));
    }

    [Fact]
    public void Waiting_counts_retries_and_moves_the_lease()
    {
        var order = NewOrder();

        order.Wait("payment-api is unavailable", Now, Now.AddSeconds(4));

        Assert.Equal(1, order.Retries);
        Assert.Equal(Now.AddSeconds(4), order.LeaseUntil);
        Assert.Equal(SagaStep.Reserving, order.Step);
    }
}
