using System.Net.Sockets;
using System.Text;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// Sends one command to the system's Redis (resource <c>cache</c>) over RESP, as an operator's redis-cli
/// would: enough for a test to make Redis misbehave (e.g. <c>CLIENT PAUSE</c>) without a client library.
/// </summary>
public static class RedisCommands
{
    public static async Task<string> RedisAsync(this ShopAppFixture fixture, params string[] command)
    {
        // The connection string is "host:port,password=...": Aspire's Redis format.
        var parts = (await fixture.ConnectionStringAsync("cache")).Split(',');
        var endpoint = parts[0].Split(':');
        var password = parts.Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("password=", StringComparison.Ordinal))?["password=".Length..];

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint[0], int.Parse(endpoint[1]));
        await using var stream = tcp.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        if (password is not null)
        {
            await SendAsync(stream, ["AUTH", password]);
            Assert.StartsWith("+OK", await reader.ReadLineAsync());
        }

        await SendAsync(stream, command);
        return await reader.ReadLineAsync() ?? "";
    }

    private static async Task SendAsync(Stream stream, string[] command)
    {
        var text = new StringBuilder($"*{command.Length}\r\n");
        foreach (var argument in command)
        {
            text.Append($"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
