using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>Bodies the server cannot decode are the client's mistake: a 4xx ProblemDetails from every service, never a 500.</summary>
[Collection(ShopCollection.Name)]
public sealed class UnreadableBodyTests(ShopAppFixture fixture)
{
    public static TheoryData<string, string> JsonEndpoints => new()
    {
        { "user-api", "/api/auth/login" },
        { "user-api", "/api/users/register" },
        { "catalog-api", "/api/categories" },
        { "order-api", "/api/orders" },
        { "payment-api", "/api/payments" },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task A_json_body_in_an_unknown_charset_is_a_415_problem(string service, string path)
    {
        var customer = await fixture.SignUpAsync();
        var token = service switch
        {
            "catalog-api" => await fixture.AdminTokenAsync(),
            "payment-api" => await fixture.ServiceTokenAsync(),
            _ => customer.AccessToken,
        };
        using var client = fixture.CreateClient(service);
        var name = $"Charset {Guid.NewGuid():N}";
        var content = new StringContent(JsonSerializer.Serialize(new { email = customer.Email, password = customer.Password, name, displayName = name }), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=no-such-charset");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemBody>();
        Assert.Equal(415, problem!.Status);
        Assert.Equal("Unsupported charset", problem.Title);

        // The refusal comes before any endpoint runs; the one body here that would otherwise be stored
        // (a new category, for catalog-api) shows it.
        using var catalog = fixture.CreateClient("catalog-api");
        var categories = await catalog.GetFromJsonAsync<List<CategoryBody>>("/api/categories");
        Assert.DoesNotContain(categories!, c => c.Name == name);
    }

    private sealed record ProblemBody(int Status, string Title);

    private sealed record CategoryBody(Guid Id, string Name);
}
