using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.WebApp;

/// <summary>The storefront while an API it needs is away.</summary>
[Collection(ShopCollections.Disruptive)]
public sealed class StorefrontOutageTests(ShopAppFixture fixture) : StorefrontTest(fixture, alone: true)
{
    [Fact]
    public Task An_api_that_is_down_shows_try_again_and_the_rest_of_the_site_works() => ScenarioAsync(nameof(An_api_that_is_down_shows_try_again_and_the_rest_of_the_site_works), async () =>
    {
        var page = await VisitorAsync();
        await RegisterAsync(page);

        await Fixture.StopAsync("order-api");
        try
        {
            var cart = await page.GotoAsync("/cart");
            Assert.Equal(503, cart!.Status);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This part of the shop is not available right now" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Try again" })).ToHaveAttributeAsync("href", "/cart");
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);

            // The catalog does not need order-api, and neither does the header when it cannot count the cart.
            var catalog = await page.GotoAsync("/catalog");
            Assert.Equal(200, catalog!.Status);
            await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();
        }
        finally
        {
            await Fixture.StartAsync("order-api");
        }

        await page.GotoAsync("/cart");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your cart" })).ToBeVisibleAsync();
    }, "503");
}
