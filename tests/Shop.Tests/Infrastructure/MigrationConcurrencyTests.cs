using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.CatalogApi.Infrastructure;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Idempotency;

namespace Shop.Tests.Infrastructure;

/// <summary>Replicas starting together each apply migrations at start-up; the database must end up right.</summary>
[Collection(ShopCollections.Platform)]
public sealed class MigrationConcurrencyTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task Replicas_migrating_a_fresh_database_at_once_apply_each_migration_once()
    {
        var server = await fixture.App.GetConnectionStringAsync("postgres");
        var databaseName = $"migration_race_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server + ";Database=postgres"))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {databaseName}", admin).ExecuteNonQueryAsync();
        }

        // The model as catalog-api registers it, with the idempotency records of its stock adjustments.
        var options = new DbContextOptionsBuilder<CatalogDbContext>()
            .UseNpgsql(server + $";Database={databaseName}")
            .UseSnakeCaseNamingConvention()
            .WithIdempotencyRecords()
            .Options;

        var replicas = Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var context = new CatalogDbContext(options);
            await context.MigrateExclusivelyAsync(CancellationToken.None);
        });
        await Task.WhenAll(replicas);

        await using var check = new CatalogDbContext(options);
        Assert.Empty(await check.Database.GetPendingMigrationsAsync());
        Assert.Equal(check.Database.GetMigrations().Count(), (await check.Database.GetAppliedMigrationsAsync()).Count());
        Assert.Equal(0, await check.Categories.CountAsync());
    }
}
