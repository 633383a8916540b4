using System.Net;
using System.Text.Json;
using Shop.ServiceDefaults.Resilience;

namespace Shop.OrderApi.Clients;

/// <summary>
/// catalog-api: product prices and availability (public), and reservations (with this service's token).
/// HTTP stays in here: callers get domain answers, and anything unexpected is
/// <see cref="DependencyUnavailableException"/>.
/// </summary>
public sealed class CatalogClient(HttpClient http, ILogger<CatalogClient> logger)
{
    private const string Service = "catalog-api";

    public async Task<IReadOnlyList<CatalogProduct>> GetProductsAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var query = string.Join('&', ids.Select(id => $"ids={id}"));
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.GetAsync($"/api/products/batch?{query}", cancellationToken), cancellationToken);
        return await UnavailableOnFailure.ReadSuccessAsync<List<CatalogProduct>>(Service, response, cancellationToken);
    }

    /// <summary>Reserves every line for the order, or none. Idempotent per order.</summary>
    public async Task<ReserveAnswer> ReserveAsync(Guid orderId, IEnumerable<(Guid ProductId, int Quantity)> lines, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var body = new { orderId, lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }), ttlSeconds = (int)ttl.TotalSeconds };
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.PostAsJsonAsync("/api/reservations", body, cancellationToken), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new ReserveAnswer.Reserved();
        }

        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            // Too little stock, or lines the catalog will never accept: the order cannot go ahead.
            var problem = await UnavailableOnFailure.ReadAsync<JsonElement>(Service, response, cancellationToken);
            return new ReserveAnswer.Refused(
                problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                    ? detail.GetString()!
                    : "The catalog refused the order's lines.");
        }

        throw Unexpected("reserve", response.StatusCode);
    }

    /// <summary>Makes the reservation's deduction permanent. Refused: it expired or was released.</summary>
    public Task<ReservationChange> CommitReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeReservationAsync(orderId, "commit", cancellationToken);

    /// <summary>Frees the reserved units. Refused: it was committed meanwhile.</summary>
    public Task<ReservationChange> ReleaseReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeReservationAsync(orderId, "release", cancellationToken);

    /// <summary>Puts a committed order's units back on hand. Refused: it was never committed.</summary>
    public Task<ReservationChange> ReturnReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeReservationAsync(orderId, "return", cancellationToken);

    private async Task<ReservationChange> ChangeReservationAsync(Guid orderId, string action, CancellationToken cancellationToken)
    {
        using var response = await UnavailableOnFailure.SendAsync(Service, () => http.PostAsync($"/api/reservations/{orderId}/{action}", null, cancellationToken), cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.OK => ReservationChange.Done,
            HttpStatusCode.Conflict => ReservationChange.Refused,
            HttpStatusCode.NotFound => ReservationChange.Missing,
            var status => throw Unexpected(action, status),
        };
    }

    /// <summary>
    /// An answer the saga has no meaning for (the callee's contract changed, or a bug): never guess,
    /// wait and ask again, and say so in the logs.
    /// </summary>
    private DependencyUnavailableException Unexpected(string action, HttpStatusCode status)
    {
        Log.UnexpectedAnswer(logger, Service, action, (int)status);
        return new DependencyUnavailableException(Service, $"{action} answered {(int)status}");
    }
}

public sealed record CatalogProduct(Guid Id, string Sku, string Name, decimal Price, string Currency, int Available, bool IsActive, long Revision);

/// <summary>What catalog-api did with a reservation request.</summary>
public abstract record ReserveAnswer
{
    private ReserveAnswer()
    {
    }

    public sealed record Reserved : ReserveAnswer;

    /// <summary>Too little stock, or lines the catalog will never accept.</summary>
    public sealed record Refused(string Reason) : ReserveAnswer;
}

/// <summary>What catalog-api did with a commit, release or return of a reservation.</summary>
public enum ReservationChange
{
    /// <summary>Done now, or already done before (the calls are idempotent).</summary>
    Done,

    /// <summary>The reservation is in a state this change cannot leave from.</summary>
    Refused,

    /// <summary>No reservation exists for the order.</summary>
    Missing,
}
