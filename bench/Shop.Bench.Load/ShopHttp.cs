using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.Bench.Load;

/// <summary>Requests to the running system as a client makes them, and the admin's sign-in.</summary>
public sealed class ShopHttp(HttpClient http, Uri userApi)
{
    /// <summary>Every simulated client comes from its own address, so per-address sign-in limits see real traffic.</summary>
    public static HttpRequestMessage Request(HttpMethod method, Uri uri, string? token = null, object? body = null)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("X-Forwarded-For", $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    public async Task<JsonElement> SendAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
        }

        return text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    public async Task<string> SignInAsync(string email, string password) =>
        (await SendAsync(Request(HttpMethod.Post, new Uri(userApi, "/api/auth/login"), body: new { email, password }), HttpStatusCode.OK))
            .GetProperty("accessToken").GetString()!;

    /// <summary>The admin password comes from SHOP_ADMIN_PASSWORD or the AppHost's user secrets.</summary>
    public Task<string> SignInAsAdminAsync() =>
        SignInAsync("admin@shop.example", Environment.GetEnvironmentVariable("SHOP_ADMIN_PASSWORD") ?? AdminPasswordFromUserSecrets());

    private static string AdminPasswordFromUserSecrets()
    {
        // Where `dotnet user-secrets` keeps them: %APPDATA%\Microsoft\UserSecrets on Windows, ~/.microsoft/usersecrets elsewhere.
        var root = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Microsoft", "UserSecrets")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets");
        var path = Path.Combine(root, "5b0f3a3e-9d3c-4e5e-8a51-2f6f1c0c7a11", "secrets.json");
        if (File.Exists(path) && JsonDocument.Parse(File.ReadAllText(path)).RootElement.TryGetProperty("Parameters:admin-password", out var password))
        {
            return password.GetString()!;
        }

        throw new InvalidOperationException($"Set SHOP_ADMIN_PASSWORD, or run the AppHost once so that {path} holds Parameters:admin-password.");
    }
}
