using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shop.Tests.Infrastructure;

/// <summary>
/// The real browser the storefront tests drive: Debian's Chromium (Playwright's own download cannot work on our
/// machines), started once for the whole run, headless. SHOP_CHROMIUM names another executable.
/// </summary>
public static class Storefront
{
    public const string DefaultChromium = "/usr/bin/chromium";

    private static readonly Lazy<Task<IBrowser>> SharedBrowser = new(LaunchAsync);

    public static Task<IBrowser> BrowserAsync() => SharedBrowser.Value;

    /// <summary>Where failing browser tests leave their screenshot and page HTML.</summary>
    public static string ArtifactsDirectory { get; } =
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "storefront"));

    public static Uri WebAppUrl(this ShopAppFixture fixture) => fixture.App.GetEndpoint("webapp", "http");

    private static async Task<IBrowser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SHOP_CHROMIUM") is { Length: > 0 } configured ? configured : DefaultChromium;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"No Chromium at {executable}: install Debian's package (apt-get install chromium; .ci/run does) or set SHOP_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        // Root cannot use Chromium's sandbox; the tests only visit the shop they started.
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }
}

/// <summary>
/// A storefront test: each visitor gets a browser context of its own (own cookies, own client address, as separate
/// people have), every console error or uncaught script error of every page fails the test, and a failing test leaves
/// a screenshot and the HTML of each of its pages under TestResults/storefront. <paramref name="alone"/> for a test that
/// breaks part of the system (see <see cref="DisruptiveTest"/>).
/// </summary>
public abstract class StorefrontTest(ShopAppFixture fixture, bool alone = false) : SystemTest(alone)
{
    private readonly List<(string Name, IPage Page)> _pages = [];
    private readonly List<string> _browserErrors = [];
    private readonly List<IBrowserContext> _contexts = [];

    protected ShopAppFixture Fixture { get; } = fixture;

    static StorefrontTest() => Assertions.SetDefaultExpectTimeout(15_000);

    /// <summary>A new visitor: its own context and page, opened at the web app's address.</summary>
    protected async Task<IPage> VisitorAsync(string name = "visitor")
    {
        var browser = await Storefront.BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.WebAppUrl().ToString(),
            Locale = "en-US",
            // The web app passes the visitor's address on to user-api, whose sign-in limits count per address.
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = ShopAppFixture.RandomClientAddress() },
        });
        context.SetDefaultTimeout(30_000);
        _contexts.Add(context);
        return Watched(name, await context.NewPageAsync());
    }

    /// <summary>Another tab of <paramref name="page"/>'s browser (its cookies), watched like the first.</summary>
    protected async Task<IPage> NewTabAsync(IPage page, string name) => Watched(name, await page.Context.NewPageAsync());

    /// <summary>Records the page's console and script errors (which fail the scenario) and keeps it for the artifacts.</summary>
    private IPage Watched(string name, IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_browserErrors)
                {
                    _browserErrors.Add($"{name} console at {page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_browserErrors)
            {
                _browserErrors.Add($"{name} script error at {page.Url}: {error}");
            }
        };
        _pages.Add((name, page));
        return page;
    }

    /// <summary>
    /// Runs the scenario; on failure saves what each visitor saw; then checks that no page logged an error but those
    /// containing one of <paramref name="expectedBrowserErrors"/> (such as the browser's note of a 503 the test caused).
    /// </summary>
    protected async Task ScenarioAsync(string name, Func<Task> scenario, params string[] expectedBrowserErrors)
    {
        try
        {
            await scenario();
        }
        catch
        {
            await SaveArtifactsAsync(name);
            throw;
        }
        finally
        {
            foreach (var context in _contexts)
            {
                await context.CloseAsync();
            }
        }

        Assert.DoesNotContain(_browserErrors, error => !expectedBrowserErrors.Any(expected => error.Contains(expected, StringComparison.Ordinal)));
    }

    /// <summary>Registers a new customer through the web app's form; the browser is signed in afterwards.</summary>
    protected static async Task<string> RegisterAsync(IPage page, string displayName = "Browser Customer")
    {
        var email = Accounts.NewEmail("web");
        await page.GotoAsync("/account/register");
        await page.GetByLabel("Your name").FillAsync(displayName);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Accounts.StrongPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return email;
    }

    protected static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    protected static async Task AddToCartAsync(IPage page, TestProduct product, int quantity)
    {
        await page.GotoAsync($"/products/{product.Slug}");
        await page.GetByLabel("Quantity").FillAsync(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Added {quantity}");
    }

    /// <summary>Fills the checkout form with a new address and <paramref name="card"/>; the caller places the order.</summary>
    protected static async Task FillCheckoutAsync(IPage page, string card)
    {
        await page.GotoAsync("/checkout");
        await page.GetByLabel("A new address").CheckAsync();
        await page.GetByLabel("Full name").FillAsync("Ada Lovelace");
        await page.GetByLabel("Address line 1").FillAsync("12 Analytical Street");
        await page.GetByLabel("City").FillAsync("London");
        await page.GetByLabel("Postal code").FillAsync("N1 9GU");
        await page.GetByLabel("Country code").FillAsync("GB");
        await FillCardAsync(page, card);
    }

    /// <summary>Fills the checkout form's card fields (the address chosen as it is).</summary>
    protected static async Task FillCardAsync(IPage page, string card)
    {
        await page.GetByLabel("Card number").FillAsync(card);
        await page.GetByLabel("Name on card").FillAsync("Ada Lovelace");
        await page.GetByLabel("Expiry month").FillAsync("12");
        await page.GetByLabel("Expiry year").FillAsync((DateTime.UtcNow.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Security code").FillAsync("123");
    }

    protected static Regex OrderPage { get; } = new("/orders/[0-9a-f-]{36}", RegexOptions.Compiled);

    private async Task SaveArtifactsAsync(string scenario)
    {
        Directory.CreateDirectory(Storefront.ArtifactsDirectory);
        foreach (var (name, page) in _pages)
        {
            var path = Path.Combine(Storefront.ArtifactsDirectory, $"{scenario}-{name}");
            // Saving must not hide the failure: a page that is gone or hangs has nothing more to show.
            try
            {
                await File.WriteAllTextAsync(path + ".html", await page.ContentAsync());
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path + ".png", FullPage = true, Timeout = 10_000 });
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                await File.AppendAllTextAsync(path + ".html", $"\n<!-- not saved: {e.Message} -->\n");
            }
        }
    }
}
