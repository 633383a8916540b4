using Shop.CatalogApi.Services;

namespace Shop.Tests.CatalogApi;

public sealed class CursorAndSlugTests
{
    [Fact]
    public void A_cursor_round_trips_exactly()
    {
        var cursor = new ProductCursor(ProductSort.Bestselling, 1234567890123L, 1999.99m, 0.0607927f, 123_456, Guid.CreateVersion7());

        Assert.True(ProductCursor.TryDecode(cursor.Encode(), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Fact]
    public void A_cursor_handed_out_before_units_sold_existed_still_reads()
    {
        var cursor = new ProductCursor(ProductSort.Price, 42L, 10.5m, 0f, UnitsSold: 0, Guid.CreateVersion7());
        var bytes = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(cursor.Encode());
        var version1 = bytes[..^4];
        version1[0] = 1;

        Assert.True(ProductCursor.TryDecode(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(version1), out var decoded));
        Assert.Equal(cursor, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !!")]
    [InlineData("AAAA")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_else_is_refused_without_an_exception(string text) => Assert.False(ProductCursor.TryDecode(text, out _));

    [Theory]
    [InlineData("Noise-Cancelling Headphones (2nd gen)", "noise-cancelling-headphones-2nd-gen")]
    [InlineData("  Crème Brûlée Torch ", "creme-brulee-torch")]
    [InlineData("!!!", "item")]
    public void Slugs_are_lower_case_words_joined_by_hyphens(string text, string slug) => Assert.Equal(slug, Slugs.From(text, 100));
}
