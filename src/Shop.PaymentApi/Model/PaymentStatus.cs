namespace Shop.PaymentApi.Model;

public enum PaymentStatus
{
    /// <summary>Sent to the processor; the outcome is not known yet.</summary>
    Processing,

    /// <summary>Captured: the money was taken.</summary>
    Succeeded,

    /// <summary>The processor refused the card; see the decline reason.</summary>
    Declined,

    /// <summary>
    /// The processor failed (or never answered) and, asked, knows of no such charge: nothing was taken. A
    /// retry may charge again under the same payment id.
    /// </summary>
    Failed,

    /// <summary>The order gave up on paying: no charge for it will ever be made.</summary>
    Voided,
}

public enum RefundStatus
{
    /// <summary>Reserved on the payment; the processor has not confirmed it yet.</summary>
    Pending,

    /// <summary>Paid back by the processor.</summary>
    Completed,

    /// <summary>The processor refused it; nothing was paid and the reserved amount is free again.</summary>
    Failed,
}

public enum ReversalStatus
{
    /// <summary>Asked of the processor (or about to be), not confirmed yet: asked again until it is.</summary>
    Pending,

    /// <summary>The processor confirmed that the charge was given back.</summary>
    Confirmed,
}
