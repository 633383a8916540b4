namespace Shop.OrderApi.Model;

/// <summary>
/// order-api's copy of what it needs to know about a catalog product: enough to show and validate a cart while
/// catalog-api is away. Kept from catalog-api's <c>ProductChanged</c> events, and filled on a miss from a read of
/// the catalog; a copy only ever moves to a higher <see cref="Revision"/>, so a late or repeated event changes
/// nothing. Checkout does not trust it: it charges the price the catalog reserves at.
/// </summary>
public sealed record ProductCopy(Guid Id, long Revision, string Sku, string Name, decimal Price, string Currency, bool IsActive, DateTimeOffset CopiedAt);
