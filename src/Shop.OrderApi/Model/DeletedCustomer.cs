namespace Shop.OrderApi.Model;

/// <summary>
/// A customer whose account was deleted (<c>UserDeleted</c>): the record that order-api forgot them, kept so that an
/// order written for them afterwards (by a checkout already running, or with an access token that outlived the
/// account while the ended sessions could not be shared) is forgotten too (<c>DeletedCustomerSweeper</c>).
/// </summary>
public sealed record DeletedCustomer(Guid CustomerId, DateTimeOffset DeletedAt);
