using Microsoft.EntityFrameworkCore;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Staff changes to on-hand stock. The row is locked for the change, the new count may never fall
/// below what is reserved, and every change is recorded with who, when and why in the same transaction.
/// </summary>
public sealed class StockService(CatalogDbContext db, TimeProvider timeProvider)
{
    public Task<StockChange> SetAsync(Guid productId, int onHand, string reason, Guid adjustedBy, CancellationToken cancellationToken) =>
        ChangeAsync(productId, _ => onHand, reason, adjustedBy, idempotencyKey: null, cancellationToken);

    /// <summary>
    /// Adds or removes units once per <paramref name="idempotencyKey"/> of the staff account: an adjustment already made
    /// under the key is not made again (the answer is the stock as it stands), whatever became of the key's record.
    /// </summary>
    public Task<StockChange> AdjustAsync(Guid productId, int delta, string reason, Guid adjustedBy, string idempotencyKey, CancellationToken cancellationToken) =>
        ChangeAsync(productId, current => (long)current + delta, reason, adjustedBy, idempotencyKey, cancellationToken);

    public async Task<StockLevel?> GetAsync(Guid productId, CancellationToken cancellationToken) =>
        await db.Stock.AsNoTracking().Where(s => s.ProductId == productId)
            .Select(s => new StockLevel(s.ProductId, s.OnHand, s.Reserved, s.OnHand - s.Reserved))
            .SingleOrDefaultAsync(cancellationToken);

    private async Task<StockChange> ChangeAsync(
        Guid productId, Func<int, long> newOnHand, string reason, Guid adjustedBy, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async Task<StockChange> (ct) =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var current = await db.Stock.FromSql($"SELECT *, xmin FROM stock WHERE product_id = {productId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(ct);
            if (current is null)
            {
                return new StockChange.NotFound();
            }

            // Under the stock row's lock, so a second request with the key waits here and then finds the first's row.
            if (idempotencyKey is not null
                && await db.StockAdjustments.AnyAsync(a => a.AdjustedBy == adjustedBy && a.IdempotencyKey == idempotencyKey, ct))
            {
                return new StockChange.Changed(new StockLevel(productId, current.OnHand, current.Reserved, current.Available));
            }

            var target = newOnHand(current.OnHand);
            if (target < current.Reserved || target > int.MaxValue)
            {
                return new StockChange.BelowReserved(new StockLevel(productId, current.OnHand, current.Reserved, current.Available));
            }

            var onHand = (int)target;
            await db.Stock.Where(s => s.ProductId == productId).ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, onHand), ct);
            db.StockAdjustments.Add(new StockAdjustment(productId, current.OnHand, onHand, reason, adjustedBy, timeProvider.GetUtcNow(), idempotencyKey));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new StockChange.Changed(new StockLevel(productId, onHand, current.Reserved, onHand - current.Reserved));
        }, cancellationToken);
    }
}

/// <summary>How a change of on-hand stock ended.</summary>
public abstract record StockChange
{
    private StockChange()
    {
    }

    public sealed record Changed(StockLevel Level) : StockChange;

    public sealed record NotFound : StockChange;

    /// <summary>Refused: on hand would fall below what is reserved. The level as it stands.</summary>
    public sealed record BelowReserved(StockLevel Level) : StockChange;
}
