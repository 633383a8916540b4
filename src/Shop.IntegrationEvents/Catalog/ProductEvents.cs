using Wolverine.Attributes;

namespace Shop.IntegrationEvents.Catalog;

/// <summary>
/// A product was created or changed (any of its fields, or put on or taken off sale). Carries what other
/// services keep a copy of, as it is after the change. <c>Revision</c> grows by one with every change of the
/// product, so a consumer keeps the highest it has seen and ignores an older or repeated one.
/// </summary>
[MessageIdentity("shop.catalog.product-changed.v1")]
public sealed record ProductChanged(
    Guid EventId, DateTimeOffset OccurredAt, Guid ProductId, long Revision, string Sku, string Name, decimal Price, string Currency, bool IsActive)
    : IntegrationEvent(EventId, OccurredAt);
