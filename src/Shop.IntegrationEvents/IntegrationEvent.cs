namespace Shop.IntegrationEvents;

/// <summary>
/// What every integration event carries: its own id (consumers that keep their own record of what they
/// applied key it on this) and when the change happened. The trace context travels in the message's
/// headers, set by the messaging library, so a consumer's work joins the trace of the request that made
/// the change. The version is part of the wire name (<c>…v1</c>): a breaking change is a new event.
/// </summary>
public abstract record IntegrationEvent(Guid EventId, DateTimeOffset OccurredAt);
