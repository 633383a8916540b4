using Npgsql;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Events;

/// <summary>
/// What catalog-api does with what the broker hands it: a message delivered twice has one effect, and a
/// message whose handler keeps failing is parked as a dead letter after its retries, without holding up the
/// messages behind it, until an administrator replays it.
/// </summary>
[Collection(ShopCollections.Orders)]
public sealed class DeliveryGuaranteeTests(ShopAppFixture fixture) : SharedSystemTest
{
    private const string OrderPaidWireName = "shop.orders.order-paid.v1";

    [Fact]
    public async Task An_event_delivered_twice_or_published_twice_counts_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var paid = OrderPaid(Guid.NewGuid(), product.Id, quantity: 3);
        var messageId = Guid.NewGuid();

        // The broker redelivering one message (same message id), and order-api publishing the event again
        // (a new message for the same order).
        await fixture.PublishAsync(OrderPaidWireName, paid, messageId);
        await fixture.PublishAsync(OrderPaidWireName, paid, messageId);
        await fixture.PublishAsync(OrderPaidWireName, paid, Guid.NewGuid());

        await fixture.UntilUnitsSoldAsync(product.Id, 3);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(3, (await fixture.ProductAsync(product.Id)).UnitsSold);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_becomes_a_dead_letter_without_blocking_others_and_a_replay_applies_it_once()
    {
        var category = await fixture.CreateCategoryAsync();
        var poisoned = await fixture.CreateProductAsync(category, stock: 10);
        var healthy = await fixture.CreateProductAsync(category, stock: 10);
        var admin = await fixture.AdminTokenAsync();
        var trigger = $"test_refuse_sales_{poisoned.Id:N}";

        await using var catalogDb = new NpgsqlConnection(await fixture.ConnectionStringAsync("catalogdb"));
        await catalogDb.OpenAsync();
        // The handler's statement fails for this product only, as a broken constraint or a bug would make it fail.
        await ExecuteAsync(catalogDb, $"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.product_id = '{poisoned.Id}' AND NEW.units_sold <> OLD.units_sold THEN
                    RAISE EXCEPTION 'sales figures of {poisoned.Id} refused by the test';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {trigger} BEFORE UPDATE ON stock FOR EACH ROW EXECUTE FUNCTION {trigger}();
            """);
        try
        {
            await fixture.PublishAsync(OrderPaidWireName, OrderPaid(Guid.NewGuid(), poisoned.Id, quantity: 2), Guid.NewGuid());
            await fixture.PublishAsync(OrderPaidWireName, OrderPaid(Guid.NewGuid(), healthy.Id, quantity: 4), Guid.NewGuid());

            // The one behind is counted while the poisoned one waits for its retries (1 + 5 + 15 s).
            await fixture.UntilUnitsSoldAsync(healthy.Id, 4, TimeSpan.FromSeconds(15));
            var deadLetter = await UntilDeadLetterAsync(admin, poisoned.Id);
            Assert.Equal(OrderPaidWireName, deadLetter.MessageType);
            Assert.Equal(0, (await fixture.ProductAsync(poisoned.Id)).UnitsSold);

            await ExecuteAsync(catalogDb, $"DROP TRIGGER {trigger} ON stock; DROP FUNCTION {trigger}();");
            using var replay = await ReplayAsync(admin, deadLetter.Id);
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

            await fixture.UntilUnitsSoldAsync(poisoned.Id, 2);
            using var again = await ReplayAsync(admin, deadLetter.Id);
            await Task.Delay(TimeSpan.FromSeconds(8));
            Assert.Equal(2, (await fixture.ProductAsync(poisoned.Id)).UnitsSold);
            Assert.DoesNotContain(await DeadLettersAsync(admin), letter => letter.Id == deadLetter.Id);
        }
        finally
        {
            await ExecuteAsync(catalogDb, $"DROP TRIGGER IF EXISTS {trigger} ON stock; DROP FUNCTION IF EXISTS {trigger}();");
        }
    }

    [Fact]
    public async Task Dead_letters_are_for_admins_and_refuse_a_bad_limit()
    {
        using var client = fixture.CreateClient("catalog-api");
        var customer = await fixture.SignUpAsync();

        using var anonymous = await client.GetAsync("/api/admin/dead-letters");
        using var asCustomer = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/admin/dead-letters", customer.AccessToken));
        using var badLimit = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/admin/dead-letters?limit=0", await fixture.AdminTokenAsync()));
        using var unknown = await ReplayAsync(await fixture.AdminTokenAsync(), Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asCustomer.StatusCode);
        await badLimit.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    // The wire format of order-api's event, as a consumer reads it (camelCase JSON).
    private static object OrderPaid(Guid orderId, Guid productId, int quantity) => new
    {
        eventId = Guid.NewGuid(),
        occurredAt = DateTimeOffset.UtcNow,
        orderId,
        customerId = Guid.NewGuid(),
        lines = new[] { new { productId, quantity, unitPrice = 10m } },
        total = 10m * quantity,
        currency = "EUR",
    };

    private async Task<DeadLetterView> UntilDeadLetterAsync(string admin, Guid productId)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var letter = (await DeadLettersAsync(admin)).FirstOrDefault(l => l.ExceptionMessage?.Contains(productId.ToString(), StringComparison.Ordinal) == true);
            if (letter is not null)
            {
                return letter;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"No dead letter for product {productId}.");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task<IReadOnlyList<DeadLetterView>> DeadLettersAsync(string admin)
    {
        using var client = fixture.CreateClient("catalog-api");
        using var response = await client.SendAsync(Accounts.Authorized(HttpMethod.Get, "/api/admin/dead-letters?limit=100", admin));
        return await response.ReadAsAsync<IReadOnlyList<DeadLetterView>>();
    }

    private async Task<HttpResponseMessage> ReplayAsync(string admin, Guid id)
    {
        using var client = fixture.CreateClient("catalog-api");
        return await client.SendAsync(Accounts.Authorized(HttpMethod.Post, $"/api/admin/dead-letters/{id}/replay", admin));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
