namespace Shop.CatalogApi.Model;

public enum ReservationStatus
{
    /// <summary>Units are held for the order until it is committed, released, or expires.</summary>
    Active,

    /// <summary>The order was paid: the units left the shop (on hand went down).</summary>
    Committed,

    /// <summary>The order gave the units back before paying.</summary>
    Released,

    /// <summary>Nobody committed in time; the sweeper gave the units back.</summary>
    Expired,

    /// <summary>A committed order was cancelled: the units came back on hand.</summary>
    Returned,
}

/// <summary>
/// Units held for one order (the order id is the key, which makes reserving idempotent). All lines are
/// reserved or none.
/// </summary>
public sealed class Reservation
{
    // For EF Core materialization.
    private Reservation()
    {
    }

    public Reservation(Guid orderId, IEnumerable<ReservationLine> lines, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        OrderId = orderId;
        Status = ReservationStatus.Active;
        // Postgres keeps microseconds: store what will be read back, so a replay answers identically.
        CreatedAt = TruncateToMicroseconds(now);
        ExpiresAt = TruncateToMicroseconds(expiresAt);
        Lines = [.. lines];
    }

    public Guid OrderId { get; private set; }

    public ReservationStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>When it left <see cref="ReservationStatus.Active"/> (and again when a commit was returned).</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    public List<ReservationLine> Lines { get; private set; } = [];

    private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}

public sealed class ReservationLine
{
    // For EF Core materialization.
    private ReservationLine()
    {
    }

    public ReservationLine(Guid productId, int quantity)
    {
        ProductId = productId;
        Quantity = quantity;
    }

    public Guid OrderId { get; private set; }

    public Guid ProductId { get; private set; }

    public int Quantity { get; private set; }
}
