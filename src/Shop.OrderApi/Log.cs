using Shop.OrderApi.Model;

namespace Shop.OrderApi;

/// <summary>Business events of order-api. Never card data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Order {OrderId} placed by {CustomerId}: {Total} {Currency}")]
    public static partial void OrderPlaced(ILogger logger, Guid orderId, Guid customerId, decimal total, string currency);

    [LoggerMessage(2, LogLevel.Information, "Order {OrderId} settled as {Status} {Reason}")]
    public static partial void OrderSettled(ILogger logger, Guid orderId, OrderStatus status, string? reason);

    [LoggerMessage(3, LogLevel.Warning, "Order {OrderId} waits at {Step}: {Service} is unavailable")]
    public static partial void SagaWaiting(ILogger logger, Guid orderId, SagaStep step, string service);

    [LoggerMessage(4, LogLevel.Information, "Recovering order {OrderId}")]
    public static partial void OrderRecovering(ILogger logger, Guid orderId);

    [LoggerMessage(6, LogLevel.Error, "{Service} answered {Action} with {Status}, which the checkout saga does not expect; the order waits")]
    public static partial void UnexpectedAnswer(ILogger logger, string service, string action, int status);

    [LoggerMessage(5, LogLevel.Information, "Order {OrderId} {Change} by {ActorId}")]
    public static partial void OrderChanged(ILogger logger, Guid orderId, string change, Guid actorId);

    [LoggerMessage(7, LogLevel.Error, "Driving order {OrderId} failed unexpectedly; the recovery worker carries it on")]
    public static partial void SagaFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "Could not take the products bought with order {OrderId} out of the cart; the recovery worker tries again")]
    public static partial void CartCleanupFailed(ILogger logger, Guid orderId, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Event {EventId}: product {ProductId} at revision {Revision} copied (unless a newer revision was there)")]
    public static partial void ProductCopied(ILogger logger, Guid eventId, Guid productId, long revision);

    [LoggerMessage(10, LogLevel.Warning, "A cart was shown without stock figures: the catalog did not answer in time ({Reason})")]
    public static partial void CartWithoutAvailability(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Information, "Event {EventId}: account {CustomerId} deleted; its cart is gone and {Orders} orders no longer name anyone")]
    public static partial void CustomerForgotten(ILogger logger, Guid eventId, Guid customerId, int orders);

    [LoggerMessage(12, LogLevel.Information, "Event {EventId}: a refund of {Amount} for order {OrderId} recorded ({RefundedTotal} refunded in all; order marked Refunded: {MarkedRefunded})")]
    public static partial void RefundRecorded(ILogger logger, Guid eventId, Guid orderId, decimal amount, decimal refundedTotal, bool markedRefunded);

    [LoggerMessage(13, LogLevel.Warning, "{Orders} orders written for deleted customers after they were forgotten no longer name anyone")]
    public static partial void LateOrdersForgotten(ILogger logger, int orders);
}
