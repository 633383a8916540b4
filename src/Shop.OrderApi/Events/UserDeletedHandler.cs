using Shop.IntegrationEvents.Users;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Services;

namespace Shop.OrderApi.Events;

/// <summary>
/// Forgets a deleted account's person: the cart goes, and the customer's orders keep their lines, totals, status
/// and payment reference for bookkeeping but lose the name, street, city, postal code and phone they were shipped to,
/// as do the responses stored under the customer's idempotency keys. The customer is recorded as deleted, so that
/// an order written for them later is forgotten too. Idempotent: a second delivery finds nothing left to forget.
/// </summary>
public sealed class UserDeletedHandler(ICartStore carts, ILogger<UserDeletedHandler> logger)
{
    public async Task Handle(UserDeleted deleted, OrderDbContext db, CancellationToken cancellationToken)
    {
        await CustomerErasure.RecordAsync(db, deleted.UserId, deleted.OccurredAt, cancellationToken);
        await carts.ForgetAsync(deleted.UserId);
        var anonymised = await CustomerErasure.ForgetShippingAddressesAsync(db.Orders.Where(o => o.CustomerId == deleted.UserId), cancellationToken);
        await CustomerErasure.ForgetStoredResponsesAsync(db, [deleted.UserId], cancellationToken);
        Log.CustomerForgotten(logger, deleted.EventId, deleted.UserId, anonymised);
    }
}
