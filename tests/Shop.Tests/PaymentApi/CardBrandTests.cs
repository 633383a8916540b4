using Shop.PaymentApi.Services;

namespace Shop.Tests.PaymentApi;

public sealed class CardBrandTests
{
    [Theory]
    [InlineData("4242424242424242", "visa")]
    [InlineData("5555555555554444", "mastercard")]
    [InlineData("2223003122003222", "mastercard")]
    [InlineData("378282246310005", "amex")]
    [InlineData("6011111111111117", "discover")]
    [InlineData("3056930009020004", "unknown")]
    public void The_brand_follows_the_issuer_prefix(string number, string brand) => Assert.Equal(brand, CardBrands.Of(number));
}
