using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Services;

/// <summary>
/// Holds stock for orders. Reserving inserts the reservation and takes each line's units with a guarded
/// UPDATE (<c>... WHERE on_hand - reserved >= quantity</c>), in product-id order to rule out deadlocks:
/// every line or none, and never more than is there, however many orders compete. Each state change of a
/// reservation is a guarded UPDATE of its status together with the stock it moves, so every operation is
/// idempotent and a replay or a race changes nothing twice.
/// </summary>
/// <remarks>
/// Both run as one call of a database function (<c>reserve_stock</c>, <c>move_reservation</c>, created by the
/// migration <c>StockChangesInOneRoundTrip</c>), one statement in its own implicit transaction. A stock row
/// locked by its UPDATE is then released by the COMMIT that follows inside the server, not one client round
/// trip later: on a product every checkout wants, that lock is the queue they all wait in. A single statement
/// of CTEs could not promise the order in which it locks several stock rows, and a batch of guarded UPDATEs
/// could not undo the lines before a short one; the function does both, raising <see cref="NotEnoughStock"/>.
/// </remarks>
public sealed class ReservationService(CatalogDbContext db, IOptions<CatalogOptions> options, TimeProvider timeProvider, CatalogMetrics metrics, ILogger<ReservationService> logger)
{
    /// <summary>The SQLSTATE <c>reserve_stock</c> raises when a line's product is inactive or has too little available.</summary>
    private const string NotEnoughStock = "SHORT";

    public async Task<ReserveResult> ReserveAsync(Guid orderId, IReadOnlyList<ReservationLine> lines, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var ordered = lines.OrderBy(l => l.ProductId).ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async Task<ReserveResult> (ct) =>
        {
            db.ChangeTracker.Clear();
            var now = timeProvider.GetUtcNow();
            var reservation = new Reservation(orderId, ordered.Select(l => new ReservationLine(l.ProductId, l.Quantity)), now, now + (ttl ?? options.Value.ReservationTtl));
            var productIds = reservation.Lines.Select(l => l.ProductId).ToArray();
            var quantities = reservation.Lines.Select(l => l.Quantity).ToArray();
            try
            {
                await db.Database.ExecuteSqlAsync(
                    $"SELECT reserve_stock({orderId}, {reservation.CreatedAt}, {reservation.ExpiresAt}, {productIds}, {quantities})", ct);
                return new ReserveResult.Created(reservation);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // The order already holds a reservation (the insert waited for a concurrent one to commit).
                return await FindAsync(orderId, ct) is { } existing ? Replay(existing, ordered) : new ReserveResult.Unavailable(await ShortagesAsync(ordered, ct));
            }
            catch (PostgresException ex) when (ex.SqlState is NotEnoughStock or PostgresErrorCodes.ForeignKeyViolation)
            {
                // Short, inactive or unknown (no such product for the line's foreign key): nothing was taken.
                return new ReserveResult.Unavailable(await ShortagesAsync(ordered, ct));
            }
        }, cancellationToken);

        metrics.Reservation(result.GetType().Name);
        if (result is ReserveResult.Unavailable unavailable)
        {
            Log.ReservationRefused(logger, orderId, string.Join(", ", unavailable.Shortages.Select(s => s.ProductId)));
        }

        return result;
    }

    public Task<Reservation?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.Reservations.AsNoTracking().SingleOrDefaultAsync(r => r.OrderId == orderId, cancellationToken);

    /// <summary>Active → Committed: the units leave on-hand stock. Already committed is success; anything else a conflict.</summary>
    public async Task<TransitionResult> CommitAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var result = await TransitionAsync(orderId, Transition.Commit, cancellationToken);

        // A commit that arrives after the expiry finds the reservation still active: expire it now, so
        // the units come back without waiting for the sweeper, and refuse the commit.
        if (result is TransitionResult.Conflict { Reservation: { Status: ReservationStatus.Active } late } && late.ExpiresAt <= timeProvider.GetUtcNow())
        {
            await ExpireAsync(orderId, cancellationToken);
            result = new TransitionResult.Conflict(await FindAsync(orderId, cancellationToken) ?? late);
        }

        return result;
    }

    /// <summary>Active → Released: the units are free again. Already released or expired is success.</summary>
    public Task<TransitionResult> ReleaseAsync(Guid orderId, CancellationToken cancellationToken) =>
        TransitionAsync(orderId, Transition.Release, cancellationToken);

    /// <summary>Committed → Returned: a cancelled order's units come back on hand. Already returned is success.</summary>
    public Task<TransitionResult> ReturnAsync(Guid orderId, CancellationToken cancellationToken) =>
        TransitionAsync(orderId, Transition.Return, cancellationToken);

    /// <summary>Active and past its expiry → Expired. Used by the sweeper, and by a commit that came too late.</summary>
    public async Task<bool> ExpireAsync(Guid orderId, CancellationToken cancellationToken) =>
        await TransitionAsync(orderId, Transition.Expire, cancellationToken) is TransitionResult.Done;

    /// <summary>
    /// Moves the reservation from <see cref="Transition.From"/> to <see cref="Transition.To"/> with one guarded
    /// UPDATE, and its lines' stock with it, in one statement (<c>move_reservation</c> answers the reservation as
    /// it moved it, or nothing). When the guard matches nothing, the reservation's current status says whether
    /// the change had already happened or cannot happen.
    /// </summary>
    private async Task<TransitionResult> TransitionAsync(Guid orderId, Transition transition, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var result = await strategy.ExecuteAsync(async Task<TransitionResult> (ct) =>
        {
            db.ChangeTracker.Clear();
            var now = timeProvider.GetUtcNow();
            var (from, to, expiry) = (transition.From.ToString(), transition.To.ToString(), transition.Expiry.ToString());
            var moved = await db.Reservations.FromSql($"""
                SELECT * FROM move_reservation({orderId}, {from}, {to}, {expiry}, {now}, {transition.Stock.OnHandPerUnit}, {transition.Stock.ReservedPerUnit})
                """).AsNoTracking().SingleOrDefaultAsync(ct);
            if (moved is not null)
            {
                return new TransitionResult.Done(moved);
            }

            var current = await FindAsync(orderId, ct);
            if (current is null)
            {
                return new TransitionResult.NotFound();
            }

            return transition.AlreadyDone.Contains(current.Status)
                ? new TransitionResult.Done(current)
                : new TransitionResult.Conflict(current);
        }, cancellationToken);

        if (result is TransitionResult.Done { Reservation.Status: var status } && status == transition.To)
        {
            Log.ReservationChanged(logger, orderId, transition.To);
        }

        return result;
    }

    private static ReserveResult Replay(Reservation existing, IReadOnlyList<ReservationLine> requested)
    {
        var same = existing.Lines.Count == requested.Count
            && existing.Lines.OrderBy(l => l.ProductId).Zip(requested).All(pair => pair.First.ProductId == pair.Second.ProductId && pair.First.Quantity == pair.Second.Quantity);
        return same ? new ReserveResult.Replayed(existing) : new ReserveResult.DifferentRequest();
    }

    /// <summary>What each requested product lacks right now (unknown and inactive products have nothing available).</summary>
    private async Task<List<Shortage>> ShortagesAsync(IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var ids = lines.Select(l => l.ProductId).ToList();
        var known = await db.Products.AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new { p.Id, p.Sku, p.Name, Available = p.IsActive ? s.OnHand - s.Reserved : 0 })
            .ToDictionaryAsync(p => p.Id, cancellationToken);
        return [.. lines
            .Select(line => known.TryGetValue(line.ProductId, out var p)
                ? new Shortage(line.ProductId, p.Sku, p.Name, line.Quantity, Math.Max(p.Available, 0))
                : new Shortage(line.ProductId, null, null, line.Quantity, 0))
            .Where(s => s.Available < s.Requested)];
    }

    /// <summary>
    /// A status change of a reservation: the status it leaves and the one it leads to, when it may happen
    /// relative to the expiry, what it does to each line's stock, and the statuses in which a replay finds
    /// it already done (any other status is a conflict).
    /// </summary>
    private sealed record Transition(ReservationStatus From, ReservationStatus To, ExpiryRule Expiry, StockChange Stock, ReservationStatus[] AlreadyDone)
    {
        public static readonly Transition Commit = new(
            ReservationStatus.Active, ReservationStatus.Committed, ExpiryRule.OnlyBeforeExpiry, StockChange.Ship, AlreadyDone: [ReservationStatus.Committed]);

        public static readonly Transition Release = new(
            ReservationStatus.Active, ReservationStatus.Released, ExpiryRule.Any, StockChange.Free, AlreadyDone: [ReservationStatus.Released, ReservationStatus.Expired]);

        public static readonly Transition Return = new(
            ReservationStatus.Committed, ReservationStatus.Returned, ExpiryRule.Any, StockChange.Restock, AlreadyDone: [ReservationStatus.Returned]);

        // Nothing counts as already done, not even Expired: ExpireAsync answers whether this call expired it.
        public static readonly Transition Expire = new(
            ReservationStatus.Active, ReservationStatus.Expired, ExpiryRule.OnlyAfterExpiry, StockChange.Free, AlreadyDone: []);
    }

    /// <summary>When a transition may happen relative to the reservation's expiry; checked in the same guarded UPDATE (by name, in <c>move_reservation</c>).</summary>
    private enum ExpiryRule
    {
        Any,
        OnlyBeforeExpiry,
        OnlyAfterExpiry,
    }

    /// <summary>What a transition does to on-hand and reserved stock, per reserved unit.</summary>
    private sealed record StockChange(int OnHandPerUnit, int ReservedPerUnit)
    {
        /// <summary>The held units leave the shop: off hand, and no longer reserved.</summary>
        public static readonly StockChange Ship = new(OnHandPerUnit: -1, ReservedPerUnit: -1);

        /// <summary>The held units are available again.</summary>
        public static readonly StockChange Free = new(OnHandPerUnit: 0, ReservedPerUnit: -1);

        /// <summary>Shipped units come back on hand (they were no longer reserved).</summary>
        public static readonly StockChange Restock = new(OnHandPerUnit: +1, ReservedPerUnit: 0);
    }
}

/// <summary>How a reservation request ended.</summary>
public abstract record ReserveResult
{
    private ReserveResult()
    {
    }

    public sealed record Created(Reservation Reservation) : ReserveResult;

    /// <summary>The same request again: the reservation it made.</summary>
    public sealed record Replayed(Reservation Reservation) : ReserveResult;

    /// <summary>The order already holds a reservation of other lines.</summary>
    public sealed record DifferentRequest : ReserveResult;

    public sealed record Unavailable(IReadOnlyList<Shortage> Shortages) : ReserveResult;
}

/// <summary>How a commit, release, return or expiry of a reservation ended.</summary>
public abstract record TransitionResult
{
    private TransitionResult()
    {
    }

    /// <summary>Moved now, or already where the change leads.</summary>
    public sealed record Done(Reservation Reservation) : TransitionResult;

    public sealed record NotFound : TransitionResult;

    /// <summary>The reservation is in a state the change cannot leave from.</summary>
    public sealed record Conflict(Reservation Reservation) : TransitionResult;
}
