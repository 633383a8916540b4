using Npgsql;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.OrderApi;

/// <summary>
/// The lease an executing request holds on its Idempotency-Key survives a failed renewal: a retry that
/// arrives while the first request still runs waits for it and replays its answer, never runs a second time.
/// (The fixture gives order-api a 3 s lease, renewed every second.)
/// </summary>
[Collection(ShopCollections.Orders)]
public sealed class IdempotencyLeaseTests(ShopAppFixture fixture) : SharedSystemTest
{
    [Fact]
    public async Task A_failed_lease_renewal_does_not_let_a_retry_execute_a_running_checkout_again()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 5);
        var customer = await fixture.SignUpAsync();
        await fixture.SetCartQuantityAsync(customer, product.Id, 1);
        var key = $"lease-{Guid.NewGuid():N}";

        // The database refuses the first renewal of this key's lease, as a dropped connection would.
        await using var db = new NpgsqlConnection(await fixture.ConnectionStringAsync("orderdb"));
        await db.OpenAsync();
        var sequence = $"test_refused_renewals_{key.Replace('-', '_')}";
        await ExecuteAsync(db, $"""
            CREATE SEQUENCE {sequence};
            CREATE FUNCTION {sequence}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.key = '{key}' AND NEW.owner = OLD.owner AND NEW.completed = OLD.completed THEN
                    IF nextval('{sequence}') = 1 THEN
                        RAISE EXCEPTION 'renewal refused by the test';
                    END IF;
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {sequence} BEFORE UPDATE ON idempotency_records FOR EACH ROW EXECUTE FUNCTION {sequence}();
            """);
        try
        {
            // The slow card keeps the first request running for about five seconds, well past one lease.
            var first = fixture.CheckoutAsync(customer, Cards.Slow, key);
            await Task.Delay(TimeSpan.FromSeconds(4.5));
            using var retry = await fixture.CheckoutAsync(customer, Cards.Slow, key);
            using var firstAnswer = await first;

            Assert.Equal(HttpStatusCode.Created, firstAnswer.StatusCode);
            Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
            Assert.True(retry.Headers.TryGetValues("Idempotent-Replayed", out var replayed), "The retry executed instead of waiting for the running request.");
            Assert.Equal("true", Assert.Single(replayed));
            // The refused renewal was followed by others (a sequence is not rolled back with the refusal).
            Assert.True(await ScalarAsync(db, $"SELECT last_value FROM {sequence}") >= 2, "Renewing stopped after the refused renewal.");
        }
        finally
        {
            await ExecuteAsync(db, $"DROP TRIGGER {sequence} ON idempotency_records; DROP FUNCTION {sequence}(); DROP SEQUENCE {sequence};");
        }

        var order = Assert.Single(await fixture.OrdersOfAsync(customer));
        Assert.Equal("Paid", order.Status);
    }

    private static async Task ExecuteAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
