using System.Text.Json;

namespace Shop.WebApp.Clients;

/// <summary>
/// What an API said about a request it refused (a 4xx ProblemDetails): the status, a title and detail for the page, and
/// the field errors of a validation problem keyed by the API's field name (case-insensitive).
/// </summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyDictionary<string, JsonElement> Extensions)
{
    /// <summary>A problem the web app finds itself, before asking an API.</summary>
    public static ApiProblem Of(int status, string title, string? detail = null) =>
        new(status, title, detail, new Dictionary<string, string[]>(), new Dictionary<string, JsonElement>());

    public string Message => Detail is { Length: > 0 } detail ? $"{Title}: {detail}" : Title;

    /// <summary>The field errors of <paramref name="field"/> (the API's name, such as <c>Payment.Number</c>), empty when there are none.</summary>
    public IEnumerable<string> ErrorsFor(string field) =>
        Errors.Where(e => string.Equals(e.Key, field, StringComparison.OrdinalIgnoreCase)).SelectMany(e => e.Value);

    public Guid? GuidExtension(string name) =>
        Extensions.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetGuid(out var id) ? id : null;
}

/// <summary>An API's answer to a request that may be refused: the value, or the problem a page shows.</summary>
public abstract record ApiResult<T>
{
    private ApiResult()
    {
    }

    public sealed record Ok(T Value) : ApiResult<T>;

    public sealed record Refused(ApiProblem Problem) : ApiResult<T>;
}

/// <summary>The answer to a request that returns nothing worth showing.</summary>
public abstract record ApiOutcome
{
    private ApiOutcome()
    {
    }

    public static readonly ApiOutcome Done = new Succeeded();

    public sealed record Succeeded : ApiOutcome;

    public sealed record Refused(ApiProblem Problem) : ApiOutcome;
}

/// <summary>
/// An API could not answer (it is down, timed out, or failed with a 5xx): the page says so and offers to try again,
/// with the status the API gave. Thrown rather than returned: no page can do anything else with it.
/// </summary>
public sealed class ServiceUnavailableException(string service, int? status, Exception? inner = null)
    : Exception($"{service} could not answer{(status is { } s ? $" ({s})" : "")}.", inner)
{
    public string Service { get; } = service;

    public int? Status { get; } = status;
}
