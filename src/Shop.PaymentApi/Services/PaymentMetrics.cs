using System.Diagnostics.Metrics;

namespace Shop.PaymentApi.Services;

/// <summary>Business metrics of payment-api, on the meter named after the service.</summary>
public sealed class PaymentMetrics
{
    public const string MeterName = "Shop.PaymentApi";

    private readonly Counter<long> _charges;
    private readonly Counter<long> _refunds;

    public PaymentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _charges = meter.CreateCounter<long>("shop.payment.charges", description: "Charge attempts by resulting status.");
        _refunds = meter.CreateCounter<long>("shop.payment.refunds", description: "Refunds made.");
    }

    public void Charge(string status) => _charges.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Refund() => _refunds.Add(1);
}
