using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;

namespace Shop.Bench.Load;

/// <summary>
/// Integration events end to end: creates products in catalog-api at a fixed rate (each commit publishes one
/// ProductChanged through the outbox) and measures, for every product, from its creation in catalog-api
/// (<c>created_at</c>, stamped just before the commit) to the moment order-api's handler wrote its copy
/// (<c>product_copies.copied_at</c>). Both clocks are this machine's.
///   dotnet run -c Release --project bench/Shop.Bench.Load -- events [rate=200] [seconds=30] [warmupSeconds=10]
/// SHOP_ORDERDB holds order-api's connection string (bench/event-latency.sh reads it from the running service).
/// Reports the rate reached, latency percentiles (and the last tenth's beside the first, which a growing backlog
/// would set apart), how long the last events took to arrive after the load stopped, and CPU per event.
/// </summary>
internal static class EventLatency
{
    private const int MaxInFlight = 256;

    public static async Task RunAsync(string[] args)
    {
        var rate = args.Length > 0 ? int.Parse(args[0]) : 200;
        var duration = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1]) : 30);
        var warmup = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2]) : 10);
        var orderDb = Environment.GetEnvironmentVariable("SHOP_ORDERDB") ?? throw new InvalidOperationException("Set SHOP_ORDERDB to order-api's connection string.");
        var userApi = new Uri(Environment.GetEnvironmentVariable("SHOP_USER_API") ?? "http://localhost:5301");
        var catalogApi = new Uri(Environment.GetEnvironmentVariable("SHOP_CATALOG_API") ?? "http://localhost:5302");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = MaxInFlight }) { Timeout = TimeSpan.FromSeconds(60) };
        var shop = new ShopHttp(http, userApi);
        var admin = await shop.SignInAsAdminAsync();
        var category = (await shop.SendAsync(ShopHttp.Request(HttpMethod.Post, new Uri(catalogApi, "/api/categories"), admin, new { name = $"Events {Guid.NewGuid():N}" }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

        async Task<(Guid Id, DateTimeOffset CreatedAt)> CreateAsync(int i)
        {
            var product = await shop.SendAsync(ShopHttp.Request(HttpMethod.Post, new Uri(catalogApi, "/api/products"), admin, new
            {
                product = new { sku = $"EVENT-{Guid.NewGuid():N}", name = $"Event widget {i}", brand = "Bench", categoryId = category, price = 1m + (i % 100) },
                initialStock = 0,
            }), HttpStatusCode.Created);
            return (product.GetProperty("id").GetGuid(), product.GetProperty("createdAt").GetDateTimeOffset());
        }

        Console.WriteLine($"warming up: {warmup.TotalSeconds:0} s at {rate}/s");
        await RunAtRateAsync(rate, warmup, CreateAsync);

        var cpuBefore = SystemCpu.Available ? SystemCpu.Snapshot() : null;
        var started = Stopwatch.GetTimestamp();
        var created = await RunAtRateAsync(rate, duration, CreateAsync);
        var sentSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var loadEnded = DateTimeOffset.UtcNow;

        // Wait for every copy; the backlog left when the load stopped drains meanwhile.
        var ids = created.Select(c => c.Id).ToArray();
        Dictionary<Guid, DateTimeOffset> copies = [];
        await using var connection = new NpgsqlConnection(orderDb);
        await connection.OpenAsync();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5);
        while (copies.Count < ids.Length && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await using var command = new NpgsqlCommand("SELECT id, copied_at FROM product_copies WHERE id = ANY($1)", connection) { Parameters = { new() { Value = ids } } };
            await using var reader = await command.ExecuteReaderAsync();
            copies = [];
            while (await reader.ReadAsync())
            {
                copies[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        var cpuAfter = SystemCpu.Available ? SystemCpu.Snapshot() : null;
        var byCreation = created.OrderBy(c => c.CreatedAt).Where(c => copies.ContainsKey(c.Id)).Select(c => (copies[c.Id] - c.CreatedAt).TotalMilliseconds).ToList();
        var sorted = byCreation.Order().ToList();
        var tenth = Math.Max(1, byCreation.Count / 10);
        Console.WriteLine($"events: {created.Count} sent in {sentSeconds:0.0} s ({created.Count / sentSeconds:0} /s, asked {rate} /s), {copies.Count} applied, {created.Count - copies.Count} missing");
        Console.WriteLine($"commit to consumer effect, ms: p50 {Percentile(sorted, 0.50):0} p90 {Percentile(sorted, 0.90):0} p99 {Percentile(sorted, 0.99):0} max {sorted[^1]:0}");
        Console.WriteLine($"p50 of the first tenth {Percentile([.. byCreation.Take(tenth).Order()], 0.5):0} ms, of the last tenth {Percentile([.. byCreation.TakeLast(tenth).Order()], 0.5):0} ms; "
            + $"the last event applied {(copies.Values.Max() - loadEnded).TotalMilliseconds:0} ms after the load stopped");
        if (cpuBefore is not null && cpuAfter is not null)
        {
            var cpu = SystemCpu.Between(cpuBefore, cpuAfter);
            Console.WriteLine("cpu ms per event (request, outbox, relay, broker, handler): "
                + string.Join(", ", SystemCpu.SystemGroups.Where(cpu.ContainsKey).Select(g => $"{g} {cpu[g] * 1000 / created.Count:0.00}")));
        }

        Console.WriteLine(FormattableString.Invariant(
            $"RESULT rate={rate} sent_per_s={created.Count / sentSeconds:0} p50_ms={Percentile(sorted, 0.50):0} p99_ms={Percentile(sorted, 0.99):0} missing={created.Count - copies.Count}"));
    }

    /// <summary>Starts one call every 1/rate s for <paramref name="duration"/> (at most <see cref="MaxInFlight"/> at once) and returns their answers.</summary>
    private static async Task<List<T>> RunAtRateAsync<T>(int rate, TimeSpan duration, Func<int, Task<T>> call)
    {
        var results = new ConcurrentBag<T>();
        var calls = new List<Task>();
        using var inFlight = new SemaphoreSlim(MaxInFlight);
        var start = Stopwatch.GetTimestamp();
        var total = (int)(rate * duration.TotalSeconds);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await inFlight.WaitAsync();
            var index = i;
            calls.Add(Task.Run(async () =>
            {
                try
                {
                    results.Add(await call(index));
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(calls);
        return [.. results];
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
