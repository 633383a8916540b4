using Nito.AsyncEx;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The collections of tests that share the one running system (<see cref="ShopAppFixture"/>). xunit runs
/// collections side by side, as many at once as <c>maxParallelThreads</c> in xunit.runner.json allows,
/// and the tests of one collection one after another. Most tests use the system as customers do and do
/// not mind each other (<see cref="SharedSystemTest"/>); a test that breaks part of it runs alone
/// (<see cref="DisruptiveTest"/>; they share one collection, so that only one of them at a time waits for
/// its turn).
/// </summary>
public static class ShopCollections
{
    public const string Accounts = "Shop: accounts";
    public const string Catalog = "Shop: catalog";
    public const string Orders = "Shop: orders";
    public const string Payments = "Shop: payments";
    public const string Platform = "Shop: platform";
    public const string Disruptive = "Shop: disruptive";
    public const string Storefront = "Shop: storefront";
}

[CollectionDefinition(ShopCollections.Accounts)]
public sealed class AccountsCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Catalog)]
public sealed class CatalogCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Orders)]
public sealed class OrdersCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Payments)]
public sealed class PaymentsCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Platform)]
public sealed class PlatformCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Storefront)]
public sealed class StorefrontCollection : ICollectionFixture<ShopAppFixture>;

[CollectionDefinition(ShopCollections.Disruptive)]
public sealed class DisruptiveCollection : ICollectionFixture<ShopAppFixture>;

/// <summary>
/// Who may use the shared system now: any number of <see cref="SharedSystemTest"/>s together, or one
/// <see cref="DisruptiveTest"/> alone, so that a stopped service, a paused Redis or a restart with other
/// settings never lands in a test that did not ask for it. A waiting disruptive test goes before shared
/// tests that come after it, so outages are not starved by the many short tests.
/// </summary>
internal static class SystemTurns
{
    private static readonly AsyncReaderWriterLock Turns = new();

    public static async Task<IDisposable> SharedAsync() => await Turns.ReaderLockAsync();

    public static async Task<IDisposable> AloneAsync() => await Turns.WriterLockAsync();
}

/// <summary>
/// A test of the shared system, which takes its turn (<see cref="SystemTurns"/>) before it starts. A test
/// that ran alone hands the system back whole: what it stopped is started and everything is healthy.
/// </summary>
public abstract class SystemTest(bool alone) : IAsyncLifetime
{
    private IDisposable? _turn;

    public async Task InitializeAsync() => _turn = alone ? await SystemTurns.AloneAsync() : await SystemTurns.SharedAsync();

    public async Task DisposeAsync()
    {
        try
        {
            if (alone)
            {
                await ShopAppFixture.RestoreMainSystemAsync();
            }
        }
        finally
        {
            _turn?.Dispose();
        }
    }
}

/// <summary>A test that uses the shared system as a client would, side by side with other such tests.</summary>
public abstract class SharedSystemTest() : SystemTest(alone: false);

/// <summary>
/// A test that breaks or changes part of the shared system for everyone (stops, kills, pauses or
/// reconfigures a resource, rotates the signing key): it runs alone.
/// </summary>
public abstract class DisruptiveTest() : SystemTest(alone: true);
