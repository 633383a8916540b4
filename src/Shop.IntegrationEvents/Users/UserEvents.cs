using Wolverine.Attributes;

namespace Shop.IntegrationEvents.Users;

/// <summary>
/// An account was deleted at its owner's request: every service forgets what it holds about the person, keeping
/// only what bookkeeping needs under the (now meaningless) id. Carries nothing personal itself.
/// </summary>
[MessageIdentity("shop.users.user-deleted.v1")]
public sealed record UserDeleted(Guid EventId, DateTimeOffset OccurredAt, Guid UserId)
    : IntegrationEvent(EventId, OccurredAt);
