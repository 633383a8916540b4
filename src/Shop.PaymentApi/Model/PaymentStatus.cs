namespace Shop.PaymentApi.Model;

public enum PaymentStatus
{
    Succeeded,
    Declined,
}
