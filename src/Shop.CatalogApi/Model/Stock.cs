namespace Shop.CatalogApi.Model;

/// <summary>
/// Stock of one product: units on hand, and how many of them are reserved for orders not yet paid.
/// Changed only by atomic SQL with guards in the WHERE clause (and CHECK constraints behind them), so
/// that concurrent requests can never oversell.
/// </summary>
public sealed class Stock
{
    // For EF Core materialization.
    private Stock()
    {
    }

    public Stock(Guid productId, int onHand)
    {
        ProductId = productId;
        OnHand = onHand;
    }

    public Guid ProductId { get; private set; }

    public int OnHand { get; private set; }

    public int Reserved { get; private set; }

    public int Available => OnHand - Reserved;

    /// <summary>Units of paid orders that were not cancelled, counted from order-api's events (see OrderSalesHandler).</summary>
    public int UnitsSold { get; private set; }

    /// <summary>Postgres's row version (xmin): the stock part of a product's ETag.</summary>
    public uint Version { get; private set; }
}

/// <summary>One change of on-hand stock by staff: who, when, why, and the numbers before and after.</summary>
public sealed class StockAdjustment
{
    public const int ReasonMaxLength = 500;

    // For EF Core materialization.
    private StockAdjustment()
    {
    }

    public StockAdjustment(Guid productId, int onHandBefore, int onHandAfter, string reason, Guid adjustedBy, DateTimeOffset now, string? idempotencyKey = null)
    {
        IdempotencyKey = idempotencyKey;
        Id = Guid.CreateVersion7(now);
        ProductId = productId;
        OnHandBefore = onHandBefore;
        OnHandAfter = onHandAfter;
        Reason = reason.Trim();
        AdjustedBy = adjustedBy;
        AdjustedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid ProductId { get; private set; }

    public int OnHandBefore { get; private set; }

    public int OnHandAfter { get; private set; }

    public string Reason { get; private set; } = null!;

    /// <summary>The staff account (token subject) that made the change.</summary>
    public Guid AdjustedBy { get; private set; }

    public DateTimeOffset AdjustedAt { get; private set; }

    /// <summary>
    /// The Idempotency-Key the adjustment was sent with (unique per staff account): the adjustment itself cannot be made
    /// twice, even when the idempotency record of its key is lost or has expired.
    /// </summary>
    public string? IdempotencyKey { get; private set; }
}

/// <summary>
/// What the catalog has counted of one order: <c>paid</c> (its units are in the sales figures) or
/// <c>cancelled</c> (they are not, or no longer). One row per order makes each event count once, however
/// often it is delivered and in whichever order OrderPaid and OrderCancelled arrive.
/// </summary>
public sealed class OrderSale
{
    public const string Paid = "paid";
    public const string Cancelled = "cancelled";

    // For EF Core materialization; rows are written by OrderSalesHandler's SQL.
    private OrderSale()
    {
    }

    public Guid OrderId { get; private set; }

    public string State { get; private set; } = null!;

    public DateTimeOffset RecordedAt { get; private set; }
}
