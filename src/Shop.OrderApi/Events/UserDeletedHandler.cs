using Microsoft.EntityFrameworkCore;
using Shop.IntegrationEvents.Users;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;
using Shop.OrderApi.Services;

namespace Shop.OrderApi.Events;

/// <summary>
/// Forgets a deleted account's person: the cart goes, and the customer's orders keep their lines, totals, status
/// and payment reference for bookkeeping but lose the name, street, city, postal code and phone they were shipped to
/// (the country stays, for tax records), as do the responses stored under the customer's idempotency keys.
/// Idempotent: a second delivery finds nothing left to forget.
/// </summary>
public sealed class UserDeletedHandler(ICartStore carts, ILogger<UserDeletedHandler> logger)
{
    public async Task Handle(UserDeleted deleted, OrderDbContext db, CancellationToken cancellationToken)
    {
        await carts.ForgetAsync(deleted.UserId);
        // One statement, not the entities. A checkout or cancellation running for one of these orders meets the changed
        // row version at its next save and leaves the order to the recovery worker, which carries it on.
        var anonymised = await db.Orders.Where(o => o.CustomerId == deleted.UserId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(o => o.ShippingAddress.RecipientName, ShippingAddress.ForgottenName)
                    .SetProperty(o => o.ShippingAddress.Line1, ShippingAddress.Forgotten)
                    .SetProperty(o => o.ShippingAddress.Line2, (string?)null)
                    .SetProperty(o => o.ShippingAddress.City, ShippingAddress.Forgotten)
                    .SetProperty(o => o.ShippingAddress.Region, (string?)null)
                    .SetProperty(o => o.ShippingAddress.PostalCode, ShippingAddress.Forgotten)
                    .SetProperty(o => o.ShippingAddress.Phone, (string?)null),
                cancellationToken);
        var scope = deleted.UserId.ToString();
        await db.Database.ExecuteSqlAsync($"DELETE FROM idempotency_records WHERE scope = {scope}", cancellationToken);
        Log.CustomerForgotten(logger, deleted.EventId, deleted.UserId, anonymised);
    }
}
