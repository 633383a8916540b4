using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.ServiceDefaults.Messaging;
using Wolverine.EntityFrameworkCore;

namespace Shop.OrderApi.Services;

/// <summary>
/// Saves order changes together with the integration events they raised, in one transaction: the events are
/// rows of the outbox table in the same database, sent to the broker after the commit and, if the broker is
/// away, by Wolverine's relay once it is back. A change that is not saved publishes nothing.
/// </summary>
public sealed class OrderOutbox(OrderDbContext db, IServiceScopeFactory scopes)
{
    /// <summary>Like <c>db.SaveChangesAsync</c>, and throws what it throws, with nothing of a failed save left behind.</summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var orders = db.ChangeTracker.Entries<Order>().Select(entry => entry.Entity).Where(order => order.PendingEvents.Count > 0).ToList();
        var events = orders.SelectMany(order => order.PendingEvents).ToList();
        if (events.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        // A fresh outbox for every save: one that failed keeps its unsent messages in memory, and a later save
        // through the same outbox would send them although their change never happened.
        await using var scope = scopes.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IDbContextOutbox>();
        outbox.Enroll(db);
        foreach (var @event in events)
        {
            await outbox.PublishAsync(@event);
        }

        try
        {
            await outbox.SaveChangesAndFlushMessagesAsync(cancellationToken);
            orders.ForEach(order => order.EventsSaved());
        }
        catch
        {
            // The orders keep their events, so a later save of their changes still publishes them; the outbox
            // rows of this attempt stay tracked after a failed SaveChanges and must not be written by it.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Metadata.GetSchema() == MessagingExtensions.Schema).ToList())
            {
                entry.State = EntityState.Detached;
            }

            throw;
        }
    }
}
