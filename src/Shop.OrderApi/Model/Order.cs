using Shop.IntegrationEvents;
using Shop.IntegrationEvents.Orders;

namespace Shop.OrderApi.Model;

/// <summary>
/// A customer's order and the state of its checkout saga. Every transition is a method that checks the
/// order is in the state it leaves, so an illegal move (shipping an unpaid order, cancelling twice) is
/// refused in one place; the row version makes two concurrent drivers of one order impossible.
/// </summary>
public sealed class Order : IEventSource
{
    public const int FailureReasonMaxLength = 500;

    // What this order's changes tell other services; saved with the order through the outbox (EventOutbox).
    private readonly List<IntegrationEvent> _events = [];

    // For EF Core materialization.
    private Order()
    {
    }

    private Order(Guid customerId, string checkoutKey, IEnumerable<OrderLine> lines, string currency, ShippingAddress address, DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        Id = Guid.CreateVersion7(now);
        CustomerId = customerId;
        CheckoutKey = checkoutKey;
        Lines = [.. lines];
        Total = Lines.Sum(l => l.LineTotal);
        Currency = currency;
        ShippingAddress = address;
        Status = OrderStatus.Pending;
        Step = SagaStep.Reserving;
        CreatedAt = now;
        UpdatedAt = now;
        LeaseUntil = leaseUntil;
        _events.Add(new OrderStatusChanged(Guid.CreateVersion7(now), now, Id, CustomerId, FromStatus: null, ToStatus: Status.ToString()));
    }

    public Guid Id { get; private set; }

    public Guid CustomerId { get; private set; }

    /// <summary>The Idempotency-Key of the checkout request, unique per customer.</summary>
    public string CheckoutKey { get; private set; } = null!;

    public OrderStatus Status { get; private set; }

    public SagaStep Step { get; private set; }

    /// <summary>Where a <see cref="SagaStep.Releasing"/> ends.</summary>
    public OrderStatus? OutcomeAfterRelease { get; private set; }

    public List<OrderLine> Lines { get; private set; } = [];

    /// <summary>The refunds payment-api reported for this order's payment; loaded only where the order is shown.</summary>
    public List<OrderRefund> Refunds { get; private set; } = [];

    public decimal Total { get; private set; }

    public string Currency { get; private set; } = null!;

    public ShippingAddress ShippingAddress { get; private set; } = null!;

    public Guid? PaymentId { get; private set; }

    public string? CardBrand { get; private set; }

    public string? CardLast4 { get; private set; }

    public string? FailureReason { get; private set; }

    /// <summary>Until when the current driver (a request or the recovery worker) owns the saga.</summary>
    public DateTimeOffset LeaseUntil { get; private set; }

    /// <summary>How often the saga had to wait for an unavailable service.</summary>
    public int Retries { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>
    /// Paid, and what it bought may still sit in the customer's cart: set with Paid, cleared once the cart
    /// has been cleaned. The recovery worker retries the cleanup until it succeeds.
    /// </summary>
    public bool CartCleanupPending { get; private set; }

    public DateTimeOffset? ShippedAt { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public uint Version { get; private set; }

    public bool IsSettled => Step == SagaStep.None;

    /// <summary>The checkout is still under way and may end Paid (not yet refunding or releasing).</summary>
    public bool MayYetBePaid => Status == OrderStatus.Pending && Step is SagaStep.Reserving or SagaStep.Charging or SagaStep.Committing;

    public static Order Place(Guid customerId, string checkoutKey, IEnumerable<OrderLine> lines, string currency, ShippingAddress address, DateTimeOffset now, DateTimeOffset leaseUntil) =>
        new(customerId, checkoutKey, lines, currency, address, now, leaseUntil);

    public void Reserved(DateTimeOffset now) => Move(OrderStatus.Pending, SagaStep.Reserving, OrderStatus.Pending, SagaStep.Charging, now);

    public void OutOfStock(string reason, DateTimeOffset now)
    {
        Move(OrderStatus.Pending, SagaStep.Reserving, OrderStatus.Rejected, SagaStep.None, now);
        FailureReason = Truncate(reason);
    }

    /// <summary>The saga cannot go on before charging (no card to charge with): give the stock back and reject.</summary>
    public void AbandonBeforeCharge(string reason, DateTimeOffset now) => ReleaseThen(SagaStep.Reserving, OrderStatus.Rejected, reason, now);

    public void Charged(Guid paymentId, string? cardBrand, string? cardLast4, DateTimeOffset now)
    {
        Move(OrderStatus.Pending, SagaStep.Charging, OrderStatus.Pending, SagaStep.Committing, now);
        PaymentId = paymentId;
        CardBrand = cardBrand;
        CardLast4 = cardLast4;
    }

    /// <summary>Declined, or never charged: give the stock back and end as PaymentFailed.</summary>
    public void NotCharged(string reason, Guid? paymentId, DateTimeOffset now)
    {
        ReleaseThen(SagaStep.Charging, OrderStatus.PaymentFailed, reason, now);
        PaymentId = paymentId;
    }

    public void Committed(DateTimeOffset now)
    {
        Move(OrderStatus.Pending, SagaStep.Committing, OrderStatus.Paid, SagaStep.None, now);
        PaidAt = now;
        CartCleanupPending = true;
        _events.Add(new OrderPaid(Guid.CreateVersion7(now), now, Id, CustomerId, OrderedProducts(), Total, Currency));
    }

    /// <summary>Paid, but the reservation was gone (it expired): refund, then reject.</summary>
    public void CommitRefused(string reason, DateTimeOffset now)
    {
        Move(OrderStatus.Pending, SagaStep.Committing, OrderStatus.Pending, SagaStep.Refunding, now);
        FailureReason = Truncate(reason);
    }

    public void Released(DateTimeOffset now) =>
        Move(OrderStatus.Pending, SagaStep.Releasing, OutcomeAfterRelease ?? throw new InvalidOperationException("Releasing without an outcome."), SagaStep.None, now);

    public void Refunded(DateTimeOffset now)
    {
        if (Status == OrderStatus.Paid)
        {
            Move(OrderStatus.Paid, SagaStep.Refunding, OrderStatus.Paid, SagaStep.Restocking, now);
        }
        else
        {
            Move(OrderStatus.Pending, SagaStep.Refunding, OrderStatus.Rejected, SagaStep.None, now);
        }
    }

    /// <summary>Starts cancelling a paid, unshipped order. False when the order is in any other state.</summary>
    public bool TryStartCancel(DateTimeOffset now, DateTimeOffset leaseUntil)
    {
        if (Status != OrderStatus.Paid || Step != SagaStep.None)
        {
            return false;
        }

        Step = SagaStep.Refunding;
        UpdatedAt = now;
        LeaseUntil = leaseUntil;
        return true;
    }

    public void Restocked(DateTimeOffset now)
    {
        Move(OrderStatus.Paid, SagaStep.Restocking, OrderStatus.Cancelled, SagaStep.None, now);
        CancelledAt = now;
        _events.Add(new OrderCancelled(Guid.CreateVersion7(now), now, Id, CustomerId, OrderedProducts()));
    }

    /// <summary>
    /// Its payment was refunded in full, not by a cancellation (an administrator at payment-api): a paid or shipped
    /// order that no step of the saga is working on becomes Refunded. One being cancelled (whose refund this may be)
    /// or otherwise busy stays as the saga leaves it.
    /// </summary>
    public bool TryMarkRefunded(DateTimeOffset now)
    {
        if (Status is not (OrderStatus.Paid or OrderStatus.Shipped) || Step != SagaStep.None)
        {
            return false;
        }

        var from = Status;
        Status = OrderStatus.Refunded;
        UpdatedAt = now;
        StatusChanged(from, now);
        return true;
    }

    public bool TryShip(DateTimeOffset now)
    {
        if (Status != OrderStatus.Paid || Step != SagaStep.None)
        {
            return false;
        }

        Status = OrderStatus.Shipped;
        ShippedAt = now;
        UpdatedAt = now;
        StatusChanged(OrderStatus.Paid, now);
        _events.Add(new OrderShipped(Guid.CreateVersion7(now), now, Id, CustomerId));
        return true;
    }

    /// <summary>A service the next step needs is unavailable: note it, and let a driver try again after <paramref name="retryAt"/>.</summary>
    public void Wait(string error, DateTimeOffset now, DateTimeOffset retryAt)
    {
        Retries++;
        LastError = Truncate(error);
        UpdatedAt = now;
        LeaseUntil = retryAt;
    }

    private void ReleaseThen(SagaStep from, OrderStatus outcome, string reason, DateTimeOffset now)
    {
        Move(OrderStatus.Pending, from, OrderStatus.Pending, SagaStep.Releasing, now);
        OutcomeAfterRelease = outcome;
        FailureReason = Truncate(reason);
    }

    private void Move(OrderStatus fromStatus, SagaStep fromStep, OrderStatus toStatus, SagaStep toStep, DateTimeOffset now)
    {
        if (Status != fromStatus || Step != fromStep)
        {
            throw new InvalidOperationException($"Order {Id} is {Status}/{Step}, not {fromStatus}/{fromStep}.");
        }

        Status = toStatus;
        Step = toStep;
        UpdatedAt = now;
        if (toStep == SagaStep.None)
        {
            LastError = null;
        }

        if (toStatus != fromStatus)
        {
            StatusChanged(fromStatus, now);
        }
    }

    public IReadOnlyList<IntegrationEvent> PendingEvents => _events;

    public void EventsSaved() => _events.Clear();

    private void StatusChanged(OrderStatus from, DateTimeOffset now) =>
        _events.Add(new OrderStatusChanged(Guid.CreateVersion7(now), now, Id, CustomerId, from.ToString(), Status.ToString()));

    private OrderedProduct[] OrderedProducts() => [.. Lines.Select(l => new OrderedProduct(l.ProductId, l.Quantity, l.UnitPrice))];

    private static string Truncate(string text) => text.Length <= FailureReasonMaxLength ? text : text[..FailureReasonMaxLength];
}

/// <summary>One product of an order, at the price catalog-api quoted when the order was placed.</summary>
public sealed class OrderLine
{
    // For EF Core materialization.
    private OrderLine()
    {
    }

    public OrderLine(Guid productId, string sku, string name, decimal unitPrice, int quantity)
    {
        ProductId = productId;
        Sku = sku;
        Name = name;
        UnitPrice = unitPrice;
        Quantity = quantity;
        LineTotal = unitPrice * quantity;
    }

    public Guid OrderId { get; private set; }

    public Guid ProductId { get; private set; }

    public string Sku { get; private set; } = null!;

    public string Name { get; private set; } = null!;

    public decimal UnitPrice { get; private set; }

    public int Quantity { get; private set; }

    public decimal LineTotal { get; private set; }
}

/// <summary>Where the order goes, copied onto the order: later edits of the address book do not move it.</summary>
public sealed record ShippingAddress(
    string RecipientName, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country, string? Phone)
{
    /// <summary>What a deleted customer's orders show in place of the recipient's name.</summary>
    public const string ForgottenName = "Deleted customer";

    /// <summary>What a deleted customer's orders show in place of the street, city and postal code.</summary>
    public const string Forgotten = "-";
}
