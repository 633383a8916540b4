using Shop.Tests.Infrastructure;

namespace Shop.Tests.CatalogApi;

[Collection(ShopCollections.Catalog)]
public sealed class SearchTests(ShopAppFixture fixture) : SharedSystemTest
{
    private static string UniqueWord() => "zq" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(8));

    [Fact]
    public async Task A_match_in_the_name_ranks_above_the_brand_which_ranks_above_the_description()
    {
        var word = UniqueWord();
        var category = await fixture.CreateCategoryAsync();
        var inDescription = await fixture.CreateProductAsync(category, name: "Plain kettle", description: $"Pairs well with the {word} range.");
        var inName = await fixture.CreateProductAsync(category, name: $"The {word} kettle");
        var inBrand = await fixture.CreateProductAsync(category, name: "Plain teapot", brand: $"{word}");
        await fixture.CreateProductAsync(category, name: "Unrelated teapot");
        using var client = fixture.CreateClient("catalog-api");

        var page = await client.GetAsAsync<ProductPageView>($"/api/products?q={word}");

        Assert.Equal([inName.Id, inBrand.Id, inDescription.Id], page.Items.Select(p => p.Id));
    }

    [Fact]
    public async Task Search_text_uses_stemming_and_tolerates_any_input()
    {
        var word = UniqueWord();
        var category = await fixture.CreateCategoryAsync();
        var product = await fixture.CreateProductAsync(category, name: $"{word} waterproof jackets");
        using var client = fixture.CreateClient("catalog-api");

        var stemmed = await client.GetAsAsync<ProductPageView>($"/api/products?q={word}+jacket");
        Assert.Equal(product.Id, stemmed.Items[0].Id);

        foreach (var odd in new[] { "\"unterminated", "a & | ! ( ) :*", "-", "' OR 1=1 --", "日本語" })
        {
            using var response = await client.GetAsync($"/api/products?q={Uri.EscapeDataString(odd)}");
            await response.ReadAsAsync<ProductPageView>();
        }
    }

    [Fact]
    public async Task Every_filter_is_respected()
    {
        var brand = $"Filterbrand{Guid.NewGuid():N}";
        var parent = await fixture.CreateCategoryAsync();
        var child = await fixture.CreateCategoryAsync(parentId: parent);
        var other = await fixture.CreateCategoryAsync();
        var cheapInChild = await fixture.CreateProductAsync(child, brand: brand, price: 5m, stock: 3);
        var midInParent = await fixture.CreateProductAsync(parent, brand: brand, price: 50m, stock: 0);
        var dearInOther = await fixture.CreateProductAsync(other, brand: brand, price: 500m, stock: 1);
        await fixture.CreateProductAsync(parent, brand: "Someoneelse", price: 50m);
        using var client = fixture.CreateClient("catalog-api");
        var parentSlug = await BrowsingTests.SlugOfAsync(client, parent);

        async Task<List<Guid>> Ids(string query) =>
            [.. (await client.GetAsAsync<ProductPageView>($"/api/products?brand={brand}&{query}")).Items.Select(p => p.Id)];

        Assert.Equal([cheapInChild.Id, midInParent.Id, dearInOther.Id], await Ids("sort=price"));
        Assert.Equal([dearInOther.Id, midInParent.Id, cheapInChild.Id], await Ids("sort=-price"));
        Assert.Equal([dearInOther.Id, midInParent.Id, cheapInChild.Id], await Ids("sort=newest"));
        Assert.Equal([cheapInChild.Id, midInParent.Id], await Ids($"category={parentSlug}&sort=price"));
        Assert.Equal([midInParent.Id], await Ids("minPrice=10&maxPrice=100"));
        Assert.Equal([cheapInChild.Id, dearInOther.Id], await Ids("inStock=true&sort=price"));
        Assert.Equal([midInParent.Id], await Ids("minPrice=50&maxPrice=50"));
        Assert.Equal(3, (await Ids($"sort=price")).Count);
        Assert.Equal([cheapInChild.Id], (await client.GetAsAsync<ProductPageView>($"/api/products?brand={brand.ToUpperInvariant()}&maxPrice=5")).Items.Select(p => p.Id));
        Assert.Empty(await Ids("category=no-such-category"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("minPrice=10&maxPrice=5", "minPrice")]
    [InlineData("minPrice=-1", "minPrice")]
    [InlineData("sort=cheapest", "sort")]
    [InlineData("sort=relevance", "sort")]
    [InlineData("cursor=forged", "cursor")]
    [InlineData("cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    public async Task Bad_parameters_are_400_naming_the_field(string query, string field)
    {
        using var client = fixture.CreateClient("catalog-api");

        using var response = await client.GetAsync($"/api/products?{query}");

        Assert.Contains(field, (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields);
    }

    public static TheoryData<string> UnparseableQueries =>
    [
        "limit=abc",
        "minPrice=cheap",
        "inStock=maybe",
        "q=" + new string('x', 301),
        "q=%00" + new string('x', 300),
        "brand=a%00b",
        "category=%00",
    ];

    [Theory]
    [MemberData(nameof(UnparseableQueries))]
    public async Task Unparseable_values_are_400_never_500(string query)
    {
        using var client = fixture.CreateClient("catalog-api");

        using var response = await client.GetAsync($"/api/products?{query}");

        Assert.Equal(400, (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Status);
    }

    [Fact]
    public async Task A_cursor_only_continues_the_search_that_issued_it()
    {
        using var client = fixture.CreateClient("catalog-api");
        var first = await client.GetAsAsync<ProductPageView>("/api/products?sort=price&limit=2");
        var cursor = Assert.IsType<string>(first.NextCursor);

        using var otherSort = await client.GetAsync($"/api/products?sort=-price&limit=2&cursor={cursor}");
        using var otherFilter = await client.GetAsync($"/api/products?sort=price&limit=2&maxPrice=10&cursor={cursor}");
        using var same = await client.GetAsync($"/api/products?sort=price&limit=2&cursor={cursor}");

        Assert.Contains("cursor", (await otherSort.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields);
        Assert.Contains("cursor", (await otherFilter.ReadProblemAsync(HttpStatusCode.BadRequest)).ErrorFields);
        Assert.Equal(2, (await same.ReadAsAsync<ProductPageView>()).Items.Count);
    }
}
