using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Reads a response body after asserting its status and media type, so that an unexpected 500 fails with its
/// status and body instead of a deserialization error.
/// </summary>
public static class Responses
{
    public static Task<T> ReadAsAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK) =>
        ReadAsync<T>(response, expected, "application/json");

    public static Task<Problem> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected) =>
        ReadAsync<Problem>(response, expected, "application/problem+json");

    public static async Task<T> GetAsAsync<T>(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return await response.ReadAsAsync<T>();
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected, string mediaType)
    {
        var body = await response.Content.ReadAsStringAsync();
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        Assert.True(
            response.StatusCode == expected,
            $"{request}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        Assert.True(
            response.Content.Headers.ContentType?.MediaType == mediaType,
            $"{request}: expected {mediaType}, got {response.Content.Headers.ContentType}: {body}");
        var value = JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web);
        Assert.NotNull(value);
        return value;
    }
}
