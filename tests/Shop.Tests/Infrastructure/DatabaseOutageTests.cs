namespace Shop.Tests.Infrastructure;

/// <summary>
/// Readiness must mean something: with Postgres stopped every API reports unhealthy while staying
/// alive, and recovers by itself when Postgres is back.
/// </summary>
[Collection(ShopCollections.Disruptive)]
public sealed class DatabaseOutageTests(ShopAppFixture fixture) : DisruptiveTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Health_fails_while_the_database_is_down_and_recovers_after()
    {
        var commands = fixture.App.ResourceCommands;
        var postgres = fixture.Resource("postgres");
        var clients = ShopAppFixture.ApiNames.ToDictionary(name => name, name => fixture.CreateClient(name));
        try
        {
            var stopped = await commands.ExecuteCommandAsync(postgres, KnownResourceCommands.StopCommand);
            Assert.True(stopped.Success, stopped.Message);

            foreach (var (api, client) in clients)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await EventualStatusAsync(client, "/health", HttpStatusCode.ServiceUnavailable));
                using var alive = await client.GetAsync("/alive");
                Assert.True(alive.StatusCode == HttpStatusCode.OK, $"{api} should stay alive without its database");
            }
        }
        finally
        {
            var started = await commands.ExecuteCommandAsync(postgres, KnownResourceCommands.StartCommand);
            Assert.True(started.Success, started.Message);
            using var timeout = new CancellationTokenSource(Patience);
            await fixture.WaitUntilHealthyAsync(ShopAppFixture.AllResourceNames, timeout.Token);

            // Connections this test process pooled before the restart are dead now.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        foreach (var (api, client) in clients)
        {
            Assert.Equal(HttpStatusCode.OK, await EventualStatusAsync(client, "/health", HttpStatusCode.OK));
            client.Dispose();
        }
    }

    private static async Task<HttpStatusCode> EventualStatusAsync(HttpClient client, string path, HttpStatusCode wanted)
    {
        var deadline = DateTime.UtcNow + Patience;
        HttpStatusCode last;
        do
        {
            using var response = await client.GetAsync(path);
            last = response.StatusCode;
            if (last == wanted)
            {
                return last;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        return last;
    }
}
