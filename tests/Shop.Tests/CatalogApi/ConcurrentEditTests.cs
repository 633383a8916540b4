using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

/// <summary>Staff editing one thing at the same moment get 200, 404 or 409: a race is never a 500.</summary>
[Collection(ShopCollections.Catalog)]
public sealed class ConcurrentEditTests(ShopAppFixture fixture) : SharedSystemTest
{
    private static readonly HttpStatusCode[] RaceOutcomes = [HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Conflict];

    [Fact]
    public async Task Category_edits_racing_each_other_and_a_delete_answer_200_404_or_409()
    {
        var admin = await fixture.AdminTokenAsync();
        using var client = fixture.CreateClient("catalog-api");
        for (var round = 0; round < 8; round++)
        {
            var category = await fixture.CreateCategoryAsync();
            var edits = Enumerable.Range(0, 6).Select(i => client.SendAsync(Accounts.Authorized(
                HttpMethod.Put, $"/api/categories/{category}", admin, new { name = $"Renamed {round}-{i} {Guid.NewGuid():N}" })));
            var delete = client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/categories/{category}", admin));

            var answers = await Task.WhenAll([.. edits, delete]);

            Assert.All(answers[..^1], answer => Assert.Contains(answer.StatusCode, RaceOutcomes));
            Assert.Equal(HttpStatusCode.NoContent, answers[^1].StatusCode);
            Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK && a.StatusCode != HttpStatusCode.NoContent),
                answer => Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType));
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_product_or_subcategory_created_under_a_category_deleted_meanwhile_is_400_not_500()
    {
        var admin = await fixture.AdminTokenAsync();
        using var client = fixture.CreateClient("catalog-api");
        for (var round = 0; round < 8; round++)
        {
            var category = await fixture.CreateCategoryAsync();
            var child = client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/categories", admin, new { name = $"Child {Guid.NewGuid():N}", parentId = category }));
            var product = client.SendAsync(Accounts.Authorized(HttpMethod.Post, "/api/products", admin,
                new { product = new { sku = $"R-{Guid.NewGuid():N}", name = "Racing product", brand = "B", categoryId = category, price = 5m }, initialStock = 1 }));
            var delete = client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/categories/{category}", admin));

            using var childAnswer = await child;
            using var productAnswer = await product;
            using var deleteAnswer = await delete;

            Assert.Contains(childAnswer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest });
            Assert.Contains(productAnswer.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest });
            // Whatever was created under it keeps the category alive: the delete is then refused as in use.
            var createdUnder = childAnswer.StatusCode == HttpStatusCode.Created || productAnswer.StatusCode == HttpStatusCode.Created;
            Assert.Equal(createdUnder ? HttpStatusCode.Conflict : HttpStatusCode.NoContent, deleteAnswer.StatusCode);
        }
    }
}
