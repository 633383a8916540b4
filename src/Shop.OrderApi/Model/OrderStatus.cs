namespace Shop.OrderApi.Model;

public enum OrderStatus
{
    /// <summary>The checkout saga is under way (or waiting for a service to come back).</summary>
    Pending,

    /// <summary>Not enough stock, or the checkout could not reserve it; nothing was charged.</summary>
    Rejected,

    /// <summary>The card was declined or the charge could not be made; nothing was charged.</summary>
    PaymentFailed,

    Paid,
    Shipped,

    /// <summary>Cancelled after payment: refunded and restocked.</summary>
    Cancelled,

    /// <summary>Paid or shipped, then refunded in full by an administrator at payment-api (not restocked: goods may be kept or lost).</summary>
    Refunded,
}

/// <summary>What the saga does next for an order; <see cref="None"/> when it has nothing left to do.</summary>
public enum SagaStep
{
    None,
    Reserving,
    Charging,
    Committing,

    /// <summary>Giving the reserved stock back, then ending in the order's <c>OutcomeAfterRelease</c>.</summary>
    Releasing,

    /// <summary>Refunding the whole payment: a paid order being cancelled, or a charge whose stock was lost.</summary>
    Refunding,

    /// <summary>Putting a cancelled order's committed stock back on hand.</summary>
    Restocking,
}
