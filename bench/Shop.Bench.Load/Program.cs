using System.Diagnostics;
using System.Net;
using Shop.Bench.Load;

// `events` as the first argument measures the integration events instead (EventLatency.cs).
if (args is ["events", .. var eventArgs])
{
    await EventLatency.RunAsync(eventArgs);
    return;
}

// Checkout load: N buyers, each in a loop: put one unit in the cart, then POST /api/orders with a new
// Idempotency-Key. Buyer b buys product b mod P, so P=1 is one hot product that every checkout competes
// for (its stock row is locked by each reservation in turn) and P=buyers gives every buyer a product of
// their own. Against a running AppHost on the developer ports (dotnet run --project src/Shop.AppHost).
//   dotnet run -c Release --project bench/Shop.Bench.Load -- [buyers=16] [seconds=60] [warmupSeconds=10] [products=buyers]
// On Linux it also reports the CPU time per paid checkout of every process of the system (from /proc).
var buyers = args.Length > 0 ? int.Parse(args[0]) : 16;
var duration = TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1]) : 60);
var warmup = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2]) : 10);
var productCount = args.Length > 3 ? int.Parse(args[3]) : buyers;
var userApi = new Uri(Environment.GetEnvironmentVariable("SHOP_USER_API") ?? "http://localhost:5301");
var catalogApi = new Uri(Environment.GetEnvironmentVariable("SHOP_CATALOG_API") ?? "http://localhost:5302");
var orderApi = new Uri(Environment.GetEnvironmentVariable("SHOP_ORDER_API") ?? "http://localhost:5303");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    Timeout = TimeSpan.FromSeconds(60),
};

var shop = new ShopHttp(http, userApi);

var admin = await shop.SignInAsAdminAsync();
var category = (await shop.SendAsync(ShopHttp.Request(HttpMethod.Post, new Uri(catalogApi, "/api/categories"), admin, new { name = $"Bench {Guid.NewGuid():N}" }), HttpStatusCode.Created))
    .GetProperty("id").GetGuid();
var productIds = await Task.WhenAll(Enumerable.Range(0, productCount).Select(async i => (await shop.SendAsync(ShopHttp.Request(HttpMethod.Post, new Uri(catalogApi, "/api/products"), admin, new
{
    product = new { sku = $"BENCH-{Guid.NewGuid():N}", name = $"Bench widget {i}", brand = "Bench", categoryId = category, price = 9.99m },
    initialStock = 1_000_000,
}), HttpStatusCode.Created)).GetProperty("id").GetGuid()));

var tokens = await Task.WhenAll(Enumerable.Range(0, buyers).Select(async i =>
{
    var email = $"buyer-{Guid.NewGuid():N}@example.com";
    await shop.SendAsync(ShopHttp.Request(HttpMethod.Post, new Uri(userApi, "/api/users/register"), body: new { email, password = "correct horse battery staple", displayName = $"Buyer {i}" }), HttpStatusCode.Created);
    return await shop.SignInAsync(email, "correct horse battery staple");
}));

var checkoutBody = new
{
    shippingAddress = new { recipientName = "Bench Buyer", line1 = "1 Load Street", city = "Berlin", postalCode = "10115", country = "DE" },
    payment = new { number = "4242424242424242", expMonth = 12, expYear = DateTime.UtcNow.Year + 2, cvc = "123", holderName = "Bench Buyer" },
};

var started = Stopwatch.GetTimestamp();
Dictionary<int, (string Group, double Seconds)>? cpuBefore = null;
var peakMegabytes = new Dictionary<string, double>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    // At the end of the warm-up: the CPU snapshot that starts the window; then resident memory each second.
    await Task.Delay(warmup);
    cpuBefore = SystemCpu.Available ? SystemCpu.Snapshot() : null;
    while (!sampling.IsCancellationRequested && SystemCpu.Available)
    {
        foreach (var (group, megabytes) in SystemCpu.ResidentMegabytes())
        {
            peakMegabytes[group] = Math.Max(peakMegabytes.GetValueOrDefault(group), megabytes);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), sampling.Token).ContinueWith(_ => { });
    }
});
var latencies = new List<double>[buyers];
var statuses = new Dictionary<HttpStatusCode, int>[buyers];
await Task.WhenAll(Enumerable.Range(0, buyers).Select(async b =>
{
    latencies[b] = [];
    statuses[b] = [];
    while (Stopwatch.GetElapsedTime(started) < warmup + duration)
    {
        using (var cart = await http.SendAsync(ShopHttp.Request(HttpMethod.Put, new Uri(orderApi, $"/api/cart/items/{productIds[b % productCount]}"), tokens[b], new { quantity = 1 })))
        {
            cart.EnsureSuccessStatusCode();
        }

        var checkout = ShopHttp.Request(HttpMethod.Post, new Uri(orderApi, "/api/orders"), tokens[b], checkoutBody);
        checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var sent = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(checkout);
        var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        if (Stopwatch.GetElapsedTime(started) > warmup)
        {
            latencies[b].Add(elapsed);
            statuses[b][response.StatusCode] = statuses[b].GetValueOrDefault(response.StatusCode) + 1;
        }
    }
}));

var cpuAfter = SystemCpu.Available ? SystemCpu.Snapshot() : null;
var measuredSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds - warmup.TotalSeconds;
sampling.Cancel();
await sampler;
var all = latencies.SelectMany(l => l).Order().ToList();
var byStatus = statuses.SelectMany(s => s).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
double Percentile(double p) => all[Math.Min(all.Count - 1, (int)Math.Ceiling(p * all.Count) - 1)];
var paid = byStatus.GetValueOrDefault(HttpStatusCode.Created);
Console.WriteLine($"buyers {buyers} over {productCount} products, measured {duration.TotalSeconds:0} s after {warmup.TotalSeconds:0} s warm-up");
Console.WriteLine($"checkouts: {all.Count} ({string.Join(", ", byStatus.Select(s => $"{(int)s.Key}: {s.Value}"))})");
Console.WriteLine($"paid checkouts per second: {paid / duration.TotalSeconds:0.0}");
Console.WriteLine($"checkout latency ms: p50 {Percentile(0.50):0} p90 {Percentile(0.90):0} p99 {Percentile(0.99):0} max {all[^1]:0}");
if (cpuBefore is not null && cpuAfter is not null && paid > 0)
{
    // CPU from the end of the warm-up until the last checkout in flight answered: the same checkouts counted above.
    var cpu = SystemCpu.Between(cpuBefore, cpuAfter);
    var perCheckout = (string group) => cpu.GetValueOrDefault(group) * 1000 / paid;
    Console.WriteLine($"cpu ms per paid checkout: system {SystemCpu.SystemGroups.Sum(perCheckout):0.00} ("
        + string.Join(", ", SystemCpu.SystemGroups.Where(cpu.ContainsKey).Select(g => $"{g} {perCheckout(g):0.00}")) + ")");
    Console.WriteLine("cpu ms per paid checkout, outside the system: "
        + string.Join(", ", SystemCpu.OtherGroups.Select(g => $"{g} {perCheckout(g):0.00}")));
    Console.WriteLine($"cpu busy over the window: {cpu.Values.Sum() / measuredSeconds:0.00} cores of {Environment.ProcessorCount}");
    // Postgres is left out: its backends share their buffers, so a sum of their resident sizes means nothing.
    Console.WriteLine("peak resident MB: " + string.Join(", ", peakMegabytes.Where(p => p.Key != "postgres").OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:0}")));

    // One line for scripts (bench/run.sh): name=value pairs.
    Console.WriteLine(FormattableString.Invariant(
        $"RESULT paid_per_s={paid / duration.TotalSeconds:0.0} p50_ms={Percentile(0.50):0} p99_ms={Percentile(0.99):0} cpu_ms={SystemCpu.SystemGroups.Sum(perCheckout):0.00} ")
        + string.Join(' ', SystemCpu.SystemGroups.Concat(SystemCpu.OtherGroups).Select(g => FormattableString.Invariant($"cpu_{g.Replace(' ', '_')}={perCheckout(g):0.00}")))
        + FormattableString.Invariant($" rss_max_api_mb={SystemCpu.SystemGroups.Where(g => g.EndsWith("-api", StringComparison.Ordinal)).Max(g => peakMegabytes.GetValueOrDefault(g)):0}"));
}
