namespace Shop.IntegrationEvents;

/// <summary>
/// An entity whose changes raise integration events: they wait here until the change is saved, and are then
/// written to the outbox in the same transaction.
/// </summary>
public interface IEventSource
{
    /// <summary>The events raised since the entity was loaded or last saved.</summary>
    IReadOnlyList<IntegrationEvent> PendingEvents { get; }

    /// <summary>The pending events were saved with the entity: they are not to be published again.</summary>
    void EventsSaved();
}
