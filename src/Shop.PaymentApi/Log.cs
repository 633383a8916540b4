using Shop.PaymentApi.Model;

namespace Shop.PaymentApi;

/// <summary>Business events of payment-api. Never a card number or CVC.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Payment {PaymentId} for order {OrderId}: {Status} (processor attempt {Attempt})")]
    public static partial void Charged(ILogger logger, Guid paymentId, Guid orderId, PaymentStatus status, int attempt);

    [LoggerMessage(2, LogLevel.Information, "Charging of order {OrderId} given up; its payment is {Status}")]
    public static partial void Voided(ILogger logger, Guid orderId, PaymentStatus status);

    [LoggerMessage(3, LogLevel.Information, "Payment {PaymentId} refunded {Amount}")]
    public static partial void Refunded(ILogger logger, Guid paymentId, decimal amount);

    [LoggerMessage(5, LogLevel.Warning, "Payment {PaymentId} for order {OrderId} was approved after it had been given up; the charge is being reversed")]
    public static partial void LateApprovalReversing(ILogger logger, Guid paymentId, Guid orderId);

    [LoggerMessage(6, LogLevel.Information, "The processor confirmed the reversal of payment {PaymentId}")]
    public static partial void ReversalConfirmed(ILogger logger, Guid paymentId);

    [LoggerMessage(7, LogLevel.Warning, "The reversal of payment {PaymentId} is not confirmed ({Result}); it is asked again")]
    public static partial void ReversalUnconfirmed(ILogger logger, Guid paymentId, string result);

    [LoggerMessage(8, LogLevel.Warning, "Refund {RefundId} of payment {PaymentId} is not confirmed by the processor; it stays pending and is asked again")]
    public static partial void RefundPending(ILogger logger, Guid refundId, Guid paymentId);

    [LoggerMessage(9, LogLevel.Warning, "The processor refused refund {RefundId} of payment {PaymentId} ({Reason}); its amount is free again")]
    public static partial void RefundDeclined(ILogger logger, Guid refundId, Guid paymentId, string? reason);

    [LoggerMessage(10, LogLevel.Warning, "The processor did not answer for refund {RefundId} of payment {PaymentId}")]
    public static partial void RefundUnanswered(ILogger logger, Exception exception, Guid refundId, Guid paymentId);

    [LoggerMessage(11, LogLevel.Information, "Pending refund {RefundId} of payment {PaymentId} recovered: {Status}")]
    public static partial void PendingRefundRecovered(ILogger logger, Guid refundId, Guid paymentId, RefundStatus status);

    [LoggerMessage(4, LogLevel.Warning, "{Count} payments were interrupted mid-processing, unknown to the processor, and are marked Failed")]
    public static partial void StalePaymentsFailed(ILogger logger, int count);

    [LoggerMessage(12, LogLevel.Error, "Payment recovery failed; it tries again at its next run")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception);
}
