using Microsoft.EntityFrameworkCore;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;
using Shop.IntegrationEvents.Orders;

namespace Shop.CatalogApi.Events;

/// <summary>
/// Keeps the sales figures (units sold per product) from order-api's events. Each event is one SQL statement,
/// so its claim on the order and its counts commit together; the claim (one <c>order_sales</c> row per order)
/// makes a redelivered event count once, and makes OrderPaid and OrderCancelled agree in either order:
/// a cancellation that arrives first is recorded, and the late payment then counts nothing. The stock rows are
/// locked in product order first, as every stock change does (reservations included), so that two statements
/// touching the same products never wait for each other in a circle.
/// </summary>
public sealed class OrderSalesHandler(TimeProvider timeProvider, ILogger<OrderSalesHandler> logger)
{
    public async Task Handle(OrderPaid paid, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var (products, quantities) = Columns(paid.Lines);
        var counted = await db.Database.ExecuteSqlAsync($"""
            WITH claimed AS (
                INSERT INTO order_sales (order_id, state, recorded_at) VALUES ({paid.OrderId}, {OrderSale.Paid}, {timeProvider.GetUtcNow()})
                ON CONFLICT (order_id) DO NOTHING
                RETURNING order_id),
            locked AS (
                SELECT product_id FROM stock
                WHERE product_id = ANY({products}) AND EXISTS (SELECT 1 FROM claimed)
                ORDER BY product_id FOR UPDATE)
            UPDATE stock SET units_sold = stock.units_sold + line.quantity
            FROM unnest({products}, {quantities}) AS line(product_id, quantity)
            WHERE stock.product_id = line.product_id AND stock.product_id IN (SELECT product_id FROM locked)
            """, cancellationToken);
        Log.SalesCounted(logger, paid.EventId, paid.OrderId, "paid", counted);
    }

    public async Task Handle(OrderCancelled cancelled, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var (products, quantities) = Columns(cancelled.Lines);
        // xmax is 0 on a row this statement inserted, and not 0 on one it updated from paid.
        var counted = await db.Database.ExecuteSqlAsync($"""
            WITH withdrawn AS (
                INSERT INTO order_sales (order_id, state, recorded_at) VALUES ({cancelled.OrderId}, {OrderSale.Cancelled}, {timeProvider.GetUtcNow()})
                ON CONFLICT (order_id) DO UPDATE SET state = excluded.state, recorded_at = excluded.recorded_at
                    WHERE order_sales.state = {OrderSale.Paid}
                RETURNING NOT (xmax = 0) AS was_paid),
            locked AS (
                SELECT product_id FROM stock
                WHERE product_id = ANY({products}) AND EXISTS (SELECT 1 FROM withdrawn WHERE was_paid)
                ORDER BY product_id FOR UPDATE)
            UPDATE stock SET units_sold = GREATEST(stock.units_sold - line.quantity, 0)
            FROM unnest({products}, {quantities}) AS line(product_id, quantity)
            WHERE stock.product_id = line.product_id AND stock.product_id IN (SELECT product_id FROM locked)
            """, cancellationToken);
        Log.SalesCounted(logger, cancelled.EventId, cancelled.OrderId, "cancelled", counted);
    }

    // One row per product: an order lists each product once, but a repeated one must not be counted twice by
    // UPDATE … FROM (which would apply only one of them).
    private static (Guid[] Products, int[] Quantities) Columns(IReadOnlyList<OrderedProduct> lines)
    {
        var merged = lines.GroupBy(l => l.ProductId).Select(g => (Product: g.Key, Quantity: g.Sum(l => l.Quantity))).ToArray();
        return ([.. merged.Select(m => m.Product)], [.. merged.Select(m => m.Quantity)]);
    }
}
