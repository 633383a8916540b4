using System.Net;
using System.Text.Json;
using Polly;
using Shop.WebApp.Authentication;

namespace Shop.WebApp.Clients;

/// <summary>
/// The edge between the pages and an API: sends a request (with the signed-in user's access token when it needs one)
/// and turns the answer into a value, an <see cref="ApiProblem"/> the page shows, or an exception no page handles
/// itself: <see cref="ServiceUnavailableException"/> (the "try again" page) or <see cref="SessionExpiredException"/>
/// (signed out, back to the sign-in page).
/// </summary>
public abstract class ApiClient(HttpClient http, UserSession? session, string service)
{
    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string uri, object? body, bool asUser, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null,
        HttpClient? through = null)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        if (asUser)
        {
            request.Headers.Authorization = new("Bearer", await (session ?? throw new InvalidOperationException($"{GetType().Name} sends no user tokens.")).GetAccessTokenAsync(cancellationToken));
        }

        configure?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await (through ?? http).SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException
            || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ServiceUnavailableException(service, null, e);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && asUser)
        {
            // The access token was refused although it had not expired: the session was ended elsewhere
            // (signed out everywhere, password changed, account deleted).
            response.Dispose();
            await session!.EndAsync();
            throw new SessionExpiredException();
        }

        if ((int)response.StatusCode >= 500)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new ServiceUnavailableException(service, status);
        }

        return response;
    }

    protected async Task<ApiResult<T>> RequestAsync<T>(
        HttpMethod method, string uri, object? body, bool asUser, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, uri, body, asUser, cancellationToken, configure);
        return await ReadAsync<T>(response, cancellationToken);
    }

    protected async Task<ApiOutcome> CommandAsync(
        HttpMethod method, string uri, object? body, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendAsync(method, uri, body, asUser: true, cancellationToken, configure);
        return response.IsSuccessStatusCode ? ApiOutcome.Done : new ApiOutcome.Refused(await ReadProblemAsync(response, cancellationToken));
    }

    /// <summary>A value an anonymous page needs; a refusal here is a defect of the page, not something to show.</summary>
    protected async Task<T> GetAsync<T>(string uri, bool asUser, CancellationToken cancellationToken, Action<HttpRequestMessage>? configure = null) =>
        await RequestAsync<T>(HttpMethod.Get, uri, null, asUser, cancellationToken, configure) switch
        {
            ApiResult<T>.Ok ok => ok.Value,
            ApiResult<T>.Refused refused => throw new InvalidOperationException($"{service} refused GET {uri}: {refused.Problem.Message}"),
            _ => throw new InvalidOperationException("Unknown result."),
        };

    protected async Task<ApiResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new ApiResult<T>.Refused(await ReadProblemAsync(response, cancellationToken));
        }

        var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new ServiceUnavailableException(service, (int)response.StatusCode, new InvalidDataException("Empty body."));
        return new ApiResult<T>.Ok(value);
    }

    protected static async Task<ApiProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = response.ReasonPhrase ?? $"Status {status}";
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return new ApiProblem(status, fallbackTitle, null, new Dictionary<string, string[]>(), new Dictionary<string, JsonElement>());
        }

        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = document.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errorsElement.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                    ? [.. field.Value.EnumerateArray().Select(e => e.ToString())]
                    : [field.Value.ToString()];
            }
        }

        var extensions = root.ValueKind == JsonValueKind.Object
            ? root.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase)
            : [];
        return new ApiProblem(status, Text("title") ?? fallbackTitle, Text("detail"), errors, extensions);
    }
}
