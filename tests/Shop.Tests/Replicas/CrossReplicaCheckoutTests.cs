using System.Text.Json;
using Shop.Tests.Infrastructure;
using static Shop.Tests.Infrastructure.Shopping;

namespace Shop.Tests.Replicas;

/// <summary>
/// Checkout races that one process settles with its own locks must settle the same way when the
/// requests land on different replicas of every API: the guarantees live in Postgres, not in a process.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CrossReplicaCheckoutTests(ReplicaAppFixture fixture)
{
    [Fact]
    public async Task Twelve_concurrent_checkouts_with_one_key_on_different_replicas_place_one_order()
    {
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, stock: 10);
        var customer = await fixture.SignUpAsync();
        await fixture.AddToCartAsync(customer, product.Id, 1);
        var key = Guid.NewGuid().ToString();

        var checkouts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var response = await fixture.CheckoutAsync(customer, Cards.Slow, key);
            return (response.StatusCode, AnsweredBy: ReplicaAppFixture.InstanceOf(response));
        }));

        fixture.AssertSpreadOverReplicas("order-api", checkouts.Select(c => c.AnsweredBy));
        Assert.All(checkouts, c => Assert.Contains(c.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(checkouts, c => c.StatusCode == HttpStatusCode.Created);
        var order = Assert.Single(await fixture.OrdersOfAsync(customer));
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal("Paid", (await OrderAsync(customer, orderId)).Status);
        Assert.Single(await fixture.PaymentsOfAsync(orderId));
        Assert.Equal(new StockLevel(OnHand: 9, Reserved: 0, Available: 9), await StockAsync(product.Id));
    }

    private async Task<OrderState> OrderAsync(SignedInUser customer, Guid orderId) =>
        (await fixture.SettledOrderAsync(customer, orderId)).Deserialize<OrderState>(JsonSerializerOptions.Web)!;

    private async Task<StockLevel> StockAsync(Guid productId) =>
        (await fixture.StockAsync(productId)).Deserialize<StockLevel>(JsonSerializerOptions.Web)!;

    private sealed record OrderState(Guid Id, string Status, bool InProgress);

    private sealed record StockLevel(int OnHand, int Reserved, int Available);
}
