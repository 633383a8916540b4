using System.Net;
using System.Text.Json;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

/// <summary>catalog-api: product prices and availability (public), and reservations (with this service's token).</summary>
public sealed class CatalogClient(HttpClient http)
{
    private const string Service = "catalog-api";

    public async Task<IReadOnlyList<CatalogProduct>> GetProductsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var query = string.Join('&', ids.Select(id => $"ids={id}"));
        using var response = await HttpCalls.SendAsync(Service, () => http.GetAsync($"/api/products/batch?{query}", cancellationToken), cancellationToken);
        return await HttpCalls.ReadSuccessAsync<List<CatalogProduct>>(Service, response, cancellationToken);
    }

    public async Task<ReserveOutcome> ReserveAsync(Guid orderId, IEnumerable<(Guid ProductId, int Quantity)> lines, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var body = new { orderId, lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }), ttlSeconds = (int)ttl.TotalSeconds };
        using var response = await HttpCalls.SendAsync(Service, () => http.PostAsJsonAsync("/api/reservations", body, cancellationToken), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new ReserveOutcome(true, null);
        }

        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // Too little stock, or lines the catalog will never accept: the order cannot go ahead.
            var problem = await HttpCalls.ReadAsync<JsonElement>(Service, response, cancellationToken);
            return new ReserveOutcome(false, problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? detail.GetString()
                : "The catalog refused the order's lines.");
        }

        throw new DependencyUnavailableException(Service, $"the reservation answered {(int)response.StatusCode}");
    }

    /// <summary>Commit, release or return a reservation. The status code tells the outcome; 5xx and transport errors throw.</summary>
    public async Task<HttpStatusCode> ChangeReservationAsync(Guid orderId, string action, CancellationToken cancellationToken)
    {
        using var response = await HttpCalls.SendAsync(Service, () => http.PostAsync($"/api/reservations/{orderId}/{action}", null, cancellationToken), cancellationToken);
        return response.StatusCode;
    }
}

public sealed record CatalogProduct(Guid Id, string Sku, string Name, decimal Price, string Currency, int Available, bool IsActive);

public sealed record ReserveOutcome(bool Reserved, string? Shortage);
