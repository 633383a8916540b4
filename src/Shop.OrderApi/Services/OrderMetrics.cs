using System.Diagnostics.Metrics;
using Shop.OrderApi.Model;

namespace Shop.OrderApi.Services;

/// <summary>Business metrics of order-api, on the meter named after the service.</summary>
public sealed class OrderMetrics
{
    public const string MeterName = "Shop.OrderApi";

    private readonly Counter<long> _settled;

    public OrderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _settled = meter.CreateCounter<long>("shop.order.settled", description: "Orders that reached a settled state, by status.");
    }

    public void Settled(OrderStatus status) => _settled.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
}
