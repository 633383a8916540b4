using Shop.CatalogApi.Model;

namespace Shop.CatalogApi;

/// <summary>Business events of catalog-api.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Reservation for order {OrderId} refused; short: {ProductIds}")]
    public static partial void ReservationRefused(ILogger logger, Guid orderId, string productIds);

    [LoggerMessage(2, LogLevel.Information, "Reservation for order {OrderId} is now {Status}")]
    public static partial void ReservationChanged(ILogger logger, Guid orderId, ReservationStatus status);

    [LoggerMessage(3, LogLevel.Information, "Product {ProductId} {Change} by {AdminId}")]
    public static partial void ProductChanged(ILogger logger, Guid productId, string change, Guid adminId);

    [LoggerMessage(4, LogLevel.Information, "Stock of product {ProductId} is now {OnHand} on hand, changed by {AdminId}")]
    public static partial void StockChanged(ILogger logger, Guid productId, int onHand, Guid adminId);

    [LoggerMessage(5, LogLevel.Information, "Demo catalog ensured: {Created} products created, {Total} wanted ({ElapsedMs:0} ms)")]
    public static partial void CatalogSeeded(ILogger logger, int created, int total, double elapsedMs);

    [LoggerMessage(6, LogLevel.Warning, "The product change feed lost its connection; product reads go to the database until it is back")]
    public static partial void ProductChangeFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Event {IntegrationEventId}: order {OrderId} {Change}; sales figures of {Products} products changed")]
    public static partial void SalesCounted(ILogger logger, Guid integrationEventId, Guid orderId, string change, int products);
}
