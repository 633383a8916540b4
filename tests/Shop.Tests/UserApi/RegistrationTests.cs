using System.Text;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.UserApi;

[Collection(ShopCollections.Accounts)]
public sealed class RegistrationTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_new_customer_registers_signs_in_and_reads_their_profile()
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail();

        using var registered = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "  Ada Lovelace " });

        var profile = await registered.ReadAsAsync<UserProfileView>(HttpStatusCode.Created);
        Assert.Equal("/api/users/me", registered.Headers.Location?.OriginalString);
        Assert.Equal((email, "Ada Lovelace"), (profile.Email, profile.DisplayName));
        Assert.Equal(["customer"], profile.Roles);
        // No secret in any member, which a typed view would not see: the raw body is checked.
        var body = await registered.Content.ReadAsStringAsync();
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);

        var tokens = await Accounts.SignInAsync(client, email.ToUpperInvariant(), Accounts.StrongPassword);
        using var me = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/users/me", tokens.AccessToken));

        var mine = await me.ReadAsAsync<UserProfileView>();
        Assert.Equal((profile.Id, email, "Ada Lovelace"), (mine.Id, mine.Email, mine.DisplayName));
    }

    [Fact]
    public async Task An_email_is_registered_once_whatever_its_case()
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail();
        using var first = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "First" });
        await first.ReadAsAsync<UserProfileView>(HttpStatusCode.Created);

        using var second = await client.PostAsJsonAsync("/api/users/register", new { email = email.ToUpperInvariant(), password = Accounts.StrongPassword, displayName = "Second" });

        Assert.Equal(409, (await second.ReadProblemAsync(HttpStatusCode.Conflict)).Status);
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("two@@example.com")]
    [InlineData("Someone <x@example.com>")]
    [InlineData("nodomain@localhost")]
    public async Task An_invalid_email_is_400_naming_the_email(string email)
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "Someone" });

        AssertNames("Email", await response.ReadProblemAsync(HttpStatusCode.BadRequest));
    }

    public static TheoryData<string, string, string> InvalidPasswordsAndNames => new()
    {
        { "short", "Someone", "Password" },
        { "Password123", "Someone", "Password" },
        { "qwertyuiop", "Someone", "Password" },
        { new string('x', 129), "Someone", "Password" },
        { Accounts.StrongPassword, "   ", "DisplayName" },
        { Accounts.StrongPassword, new string('n', 101), "DisplayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidPasswordsAndNames))]
    public async Task An_invalid_password_or_display_name_is_400_naming_the_field_and_stores_nothing(string password, string displayName, string field)
    {
        using var client = fixture.CreateClient("user-api");
        var email = Accounts.NewEmail();

        using var response = await client.PostAsJsonAsync("/api/users/register", new { email, password, displayName });

        AssertNames(field, await response.ReadProblemAsync(HttpStatusCode.BadRequest));
        // Nothing was stored: the same address can still be registered.
        using var retry = await client.PostAsJsonAsync("/api/users/register", new { email, password = Accounts.StrongPassword, displayName = "Fixed" });
        Assert.Equal(email, (await retry.ReadAsAsync<UserProfileView>(HttpStatusCode.Created)).Email);
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

        Assert.Equal(400, (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Status);
    }

    [Fact]
    public async Task Text_with_a_NUL_character_is_400_not_500()
    {
        using var client = fixture.CreateClient("user-api");

        using var register = await client.PostAsync("/api/users/register", new StringContent(
            "{\"email\":\"nul@example.com\",\"password\":\"correct horse battery staple\",\"displayName\":\"A\\u0000B\"}", Encoding.UTF8, "application/json"));
        using var login = await client.PostAsync("/api/auth/login", new StringContent(
            "{\"email\":\"\\u0000\",\"password\":\"x\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(400, (await register.ReadProblemAsync(HttpStatusCode.BadRequest)).Status);
        Assert.Equal(400, (await login.ReadProblemAsync(HttpStatusCode.BadRequest)).Status);
    }

    [Fact]
    public async Task Missing_fields_are_named_in_the_400()
    {
        using var client = fixture.CreateClient("user-api");

        using var response = await client.PostAsJsonAsync("/api/users/register", new { });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "email", "password", "displayName" })
        {
            AssertNames(field, problem);
        }
    }

    private static void AssertNames(string field, Problem problem) =>
        Assert.True(
            problem.ErrorFields.Any(name => name.Equals(field, StringComparison.OrdinalIgnoreCase)),
            $"{field} is not among the fields the problem names: {string.Join(", ", problem.ErrorFields)}");
}
