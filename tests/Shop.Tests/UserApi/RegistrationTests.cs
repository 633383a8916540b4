using System.Text;
using System.Text.Json;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollection.Name)]
public sealed class RegistrationTests(ShopAppFixture fixture)
{
    [Fact]
    public async Task A_new_customer_registers_signs_in_and_reads_their_profile()
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail();

        using var registered = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "  Ada Lovelace " });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal("/api/users/me", registered.Headers.Location?.OriginalString);
        var profile = await registered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(email, profile.GetProperty("email").GetString());
        Assert.Equal("Ada Lovelace", profile.GetProperty("displayName").GetString());
        Assert.Equal(["customer"], profile.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var body = await registered.Content.ReadAsStringAsync();
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);

        var tokens = await Accounts.SignInAsync(client, email.ToUpperInvariant(), Accounts.StrongPassword);
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken));

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var mine = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(profile.GetProperty("id").GetGuid(), mine.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_email_is_registered_once_whatever_its_case()
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail();
        using var first = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "First" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await client.PostAsJsonAsync("/api/users/register", new { email = email.ToUpperInvariant(), password = Accounts.StrongPassword, displayName = "Second" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string, string, string> InvalidRegistrations => new()
    {
        { "not-an-email", Accounts.StrongPassword, "Someone", "Email" },
        { "two@@example.com", Accounts.StrongPassword, "Someone", "Email" },
        { "Someone <x@example.com>", Accounts.StrongPassword, "Someone", "Email" },
        { "nodomain@localhost", Accounts.StrongPassword, "Someone", "Email" },
        { "{email}", "short", "Someone", "Password" },
        { "{email}", "Password123", "Someone", "Password" },
        { "{email}", "qwertyuiop", "Someone", "Password" },
        { "{email}", new string('x', 129), "Someone", "Password" },
        { "{email}", Accounts.StrongPassword, "   ", "DisplayName" },
        { "{email}", Accounts.StrongPassword, new string('n', 101), "DisplayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Invalid_registrations_are_400_with_the_field_and_store_nothing(string email, string password, string displayName, string field)
    {
        using var client = fixture.CreateClient("user-api");
        var usedEmail = email == "{email}" ? Accounts.NewEmail() : email;

        using var response = await client.PostAsJsonAsync("/api/users/register", new { email = usedEmail, password, displayName });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), error => error.Name.Equals(field, StringComparison.OrdinalIgnoreCase));

        if (email == "{email}")
        {
            // Nothing was stored: the same address can still be registered.
            using var retry = await client.PostAsJsonAsync("/api/users/register", new { email = usedEmail, password = Accounts.StrongPassword, displayName = "Fixed" });
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        }
    }

    [Theory]
    [InlineData("{\"email\":")]
    [InlineData("[]")]
    [InlineData("{\"email\": 42, \"password\": true, \"displayName\": {}}")]
    [InlineData("")]
    public async Task Unreadable_bodies_are_400_problems_not_500(string body)
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.PostAsync("/api/users/register", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_is_400_not_500()
    {
        using var client = fixture.CreateClient("user-api");

        using var register = await client.PostAsync("/api/users/register", new StringContent(
            "{\"email\":\"nul@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"A\\u0000B\"}", Encoding.UTF8, "application/json"));
        using var login = await client.PostAsync("/api/auth/login", new StringContent(
            "{\"email\":\"\\u0000\",\"password\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task Missing_fields_are_named_in_the_400()
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.PostAsJsonAsync("/api/users/register", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "email", "password", "displayName" })
        {
            Assert.Contains(errors.EnumerateObject(), error => error.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        }
    }
}
