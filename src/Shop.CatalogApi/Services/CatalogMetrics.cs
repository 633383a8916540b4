using System.Diagnostics.Metrics;

namespace Shop.CatalogApi.Services;

/// <summary>Business metrics of catalog-api, on the meter named after the service.</summary>
public sealed class CatalogMetrics
{
    public const string MeterName = "Shop.CatalogApi";

    private readonly Counter<long> _reservations;

    public CatalogMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _reservations = meter.CreateCounter<long>("shop.catalog.reservations", description: "Reservation requests by outcome.");
    }

    public void Reservation(string outcome) => _reservations.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
