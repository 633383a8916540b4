namespace Shop.PaymentApi.Model;

public enum PaymentStatus
{
    /// <summary>Sent to the processor; the outcome is not known yet.</summary>
    Processing,

    /// <summary>Captured: the money was taken.</summary>
    Succeeded,

    /// <summary>The processor refused the card; see the decline reason.</summary>
    Declined,

    /// <summary>The processor failed (or never answered); nothing was taken. A retry may charge again.</summary>
    Failed,

    /// <summary>The order gave up on paying: no charge for it will ever be made.</summary>
    Voided,
}
