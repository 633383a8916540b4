using Shop.PaymentApi.Model;

namespace Shop.PaymentApi;

/// <summary>Business events of payment-api. Never a card number or CVC.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Payment {PaymentId} for order {OrderId}: {Status} (processor attempt {Attempt})")]
    public static partial void Charged(ILogger logger, Guid paymentId, Guid orderId, PaymentStatus status, int attempt);

    [LoggerMessage(2, LogLevel.Information, "Charging of order {OrderId} given up; its payment is {Status}")]
    public static partial void Voided(ILogger logger, Guid orderId, PaymentStatus status);

    [LoggerMessage(3, LogLevel.Information, "Payment {PaymentId} refunded {Amount}; {TotalRefunded} refunded in all")]
    public static partial void Refunded(ILogger logger, Guid paymentId, decimal amount, decimal totalRefunded);

    [LoggerMessage(5, LogLevel.Warning, "Payment {PaymentId} for order {OrderId} was approved after it had been given up; the charge was reversed")]
    public static partial void LateApprovalReversed(ILogger logger, Guid paymentId, Guid orderId);

    [LoggerMessage(4, LogLevel.Warning, "{Count} payments were interrupted mid-processing and are marked Failed")]
    public static partial void StalePaymentsFailed(ILogger logger, int count);
}
