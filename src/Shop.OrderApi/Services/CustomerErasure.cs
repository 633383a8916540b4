using Microsoft.EntityFrameworkCore;
using Shop.OrderApi.Infrastructure;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Services;

/// <summary>What order-api forgets of a customer whose account was deleted, and the record that it did.</summary>
public static class CustomerErasure
{
    public static Task RecordAsync(OrderDbContext db, Guid customerId, DateTimeOffset deletedAt, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"INSERT INTO deleted_customers (customer_id, deleted_at) VALUES ({customerId}, {deletedAt}) ON CONFLICT (customer_id) DO NOTHING",
            cancellationToken);

    /// <summary>
    /// Takes the name, street, city, postal code and phone out of these orders (the country stays, for tax records),
    /// in one statement, not through the entities: a checkout or cancellation running for one of them meets the changed
    /// row version at its next save and leaves the order to the recovery worker, which carries it on.
    /// </summary>
    public static Task<int> ForgetShippingAddressesAsync(IQueryable<Order> orders, CancellationToken cancellationToken) =>
        orders.ExecuteUpdateAsync(
            s => s.SetProperty(o => o.ShippingAddress.RecipientName, ShippingAddress.ForgottenName)
                .SetProperty(o => o.ShippingAddress.Line1, ShippingAddress.Forgotten)
                .SetProperty(o => o.ShippingAddress.Line2, (string?)null)
                .SetProperty(o => o.ShippingAddress.City, ShippingAddress.Forgotten)
                .SetProperty(o => o.ShippingAddress.Region, (string?)null)
                .SetProperty(o => o.ShippingAddress.PostalCode, ShippingAddress.Forgotten)
                .SetProperty(o => o.ShippingAddress.Phone, (string?)null),
            cancellationToken);

    /// <summary>The responses kept under the customers' idempotency keys (a checkout's holds the address).</summary>
    public static Task<int> ForgetStoredResponsesAsync(OrderDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken)
    {
        var scopes = customerIds.Select(id => id.ToString()).ToArray();
        return db.Database.ExecuteSqlAsync($"DELETE FROM idempotency_records WHERE scope = ANY({scopes})", cancellationToken);
    }
}
