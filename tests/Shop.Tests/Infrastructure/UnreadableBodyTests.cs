using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shop.Tests.Infrastructure;

/// <summary>Bodies the server cannot decode are the client's mistake: a 4xx ProblemDetails from every service, never a 500.</summary>
[Collection(ShopCollections.Platform)]
public sealed class UnreadableBodyTests(ShopAppFixture fixture) : SharedSystemTest
{
    /// <summary>Who may call an endpoint, so that the request gets as far as reading its body.</summary>
    public enum Caller
    {
        Customer,
        Admin,
        Service,
    }

    public static TheoryData<string, string, Caller> JsonEndpoints => new()
    {
        { "user-api", "/api/auth/login", Caller.Customer },
        { "user-api", "/api/users/register", Caller.Customer },
        { "catalog-api", "/api/categories", Caller.Admin },
        { "order-api", "/api/orders", Caller.Customer },
        { "payment-api", "/api/payments", Caller.Service },
    };

    [Theory]
    [MemberData(nameof(JsonEndpoints))]
    public async Task A_json_body_in_an_unknown_charset_is_a_415_problem(string service, string path, Caller caller)
    {
        var customer = await fixture.SignUpAsync();
        var token = caller switch
        {
            Caller.Admin => await fixture.AdminTokenAsync(),
            Caller.Service => await fixture.ServiceTokenAsync(),
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

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal((415, "Unsupported charset"), (problem.Status, problem.Title));

        // The refusal comes before any endpoint runs; the one body here that would otherwise be stored
        // (a new category, for catalog-api) shows it.
        using var catalog = fixture.CreateClient("catalog-api");
        var categories = await catalog.GetAsAsync<List<CategoryView>>("/api/categories");
        Assert.DoesNotContain(categories, c => c.Name == name);
    }
}
