namespace Shop.OrderApi.Model;

public enum OrderStatus
{
    Pending,
    Rejected,
    PaymentFailed,
    Paid,
    Shipped,
    Cancelled,
}
