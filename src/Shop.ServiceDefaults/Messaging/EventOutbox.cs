using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.IntegrationEvents;
using Wolverine.EntityFrameworkCore;

namespace Shop.ServiceDefaults.Messaging;

/// <summary>
/// Saves a service's changes together with the integration events they raised, in one transaction: the events
/// are rows of the outbox table in the same database, sent to the broker after the commit and, if the broker is
/// away, by Wolverine's relay once it is back. A change that is not saved publishes nothing. The events are those
/// of the tracked <see cref="IEventSource"/> entities, and any passed in.
/// </summary>
public sealed class EventOutbox<TContext>(TContext db, IServiceScopeFactory scopes) where TContext : DbContext
{
    /// <summary>
    /// Like <c>db.SaveChangesAsync</c>, and throws what it throws, with nothing of a failed save left behind. Inside a
    /// transaction the caller began, saving events also commits it (Wolverine sends them only after a commit).
    /// </summary>
    public async Task SaveChangesAsync(CancellationToken cancellationToken) => await SaveChangesAsync([], cancellationToken);

    /// <inheritdoc cref="SaveChangesAsync(CancellationToken)"/>
    public async Task SaveChangesAsync(IReadOnlyCollection<IntegrationEvent> alsoPublish, CancellationToken cancellationToken)
    {
        var sources = db.ChangeTracker.Entries().Select(entry => entry.Entity).OfType<IEventSource>().Where(source => source.PendingEvents.Count > 0).ToList();
        var events = sources.SelectMany(source => source.PendingEvents).Concat(alsoPublish).ToList();
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
            sources.ForEach(source => source.EventsSaved());
        }
        catch
        {
            // The entities keep their events, so a later save of their changes still publishes them; the outbox
            // rows of this attempt stay tracked after a failed SaveChanges and must not be written by it.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Metadata.GetSchema() == MessagingExtensions.Schema).ToList())
            {
                entry.State = EntityState.Detached;
            }

            throw;
        }
    }
}
