namespace Shop.OrderApi.Model;

/// <summary>A customer's order: what was bought, for how much, and where it is in its life.</summary>
public sealed class Order
{
    // For EF Core materialization.
    private Order()
    {
    }

    public Order(Guid customerId, decimal total, string currency, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        CustomerId = customerId;
        Status = OrderStatus.Pending;
        Total = total;
        Currency = currency;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    public OrderStatus Status { get; private set; }

    public decimal Total { get; private set; }

    public string Currency { get; private set; } = null!;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
}
