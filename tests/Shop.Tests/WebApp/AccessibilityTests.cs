using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.WebApp;

/// <summary>
/// Every page a visitor, a customer and an administrator reach, checked by axe-core (WCAG 2.x A and AA rules) in the
/// browser: labels, names, contrast, landmarks, headings, ARIA. A violation fails with the rule, the page and the elements.
/// </summary>
[Collection(ShopCollections.Storefront)]
public sealed class AccessibilityTests(ShopAppFixture fixture) : StorefrontTest(fixture)
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    [Fact]
    public Task Every_page_meets_WCAG_AA_as_axe_checks_it() => ScenarioAsync(nameof(Every_page_meets_WCAG_AA_as_axe_checks_it), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var violations = new List<string>();

        var visitor = await VisitorAsync();
        foreach (var path in new[] { "/", "/catalog", $"/products/{product.Slug}", "/account/login", "/account/register", "/no-such-page", "/form-expired?returnUrl=%2Fcart" })
        {
            await CheckAsync(visitor, path, violations);
        }

        var customer = await VisitorAsync("customer");
        await RegisterAsync(customer);
        await AddToCartAsync(customer, product, 1);
        foreach (var path in new[] { "/cart", "/checkout", "/account", "/account/addresses", "/account/addresses/new", "/admin/orders" })
        {
            await CheckAsync(customer, path, violations); // the last is the "not for your account" page
        }

        await FillCheckoutAsync(customer, Shopping.Cards.Succeeds);
        await customer.GetByTestId("place-order").ClickAsync();
        await Expect(customer.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await CheckAsync(customer, null, violations);
        await CheckAsync(customer, "/orders", violations);

        var admin = await VisitorAsync("admin");
        await SignInAsync(admin, await Fixture.ParameterValueAsync("admin-email"), await Fixture.ParameterValueAsync("admin-password"));
        foreach (var path in new[] { "/admin/orders", "/admin/products", $"/admin/products/{product.Id}" })
        {
            await CheckAsync(admin, path, violations);
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }, "status of 404"); // the browser's note of the missing page's status

    /// <summary>Opens <paramref name="path"/> (or checks the page as it is) and adds each rule it breaks, with up to three elements.</summary>
    private static async Task CheckAsync(IPage page, string? path, List<string> violations)
    {
        if (path is not null)
        {
            await page.GotoAsync(path);
        }

        var result = await page.RunAxe(WcagAa);
        foreach (var violation in result.Violations)
        {
            var where = string.Join(" | ", violation.Nodes.Take(3).Select(node => node.Html));
            violations.Add($"{new Uri(page.Url).PathAndQuery}: {violation.Id} ({violation.Impact}) {violation.Help}: {where}");
        }
    }
}
