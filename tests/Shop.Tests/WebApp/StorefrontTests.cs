using Microsoft.Playwright;
using Shop.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Shop.Tests.WebApp;

/// <summary>A person shopping in a real browser (Chromium) through the web app, end to end against the whole system.</summary>
[Collection(ShopCollections.Storefront)]
public sealed class StorefrontTests(ShopAppFixture fixture) : StorefrontTest(fixture)
{
    [Fact]
    public Task Browse_and_search_to_a_product() => ScenarioAsync(nameof(Browse_and_search_to_a_product), async () =>
    {
        var category = await Fixture.CreateCategoryAsync();
        var product = await Fixture.CreateProductAsync(category, name: $"Lantern {Guid.NewGuid():N}"[..20], price: 24.50m);
        var page = await VisitorAsync();

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome to Shop" })).ToBeVisibleAsync();
        await page.GetByLabel("Search products").FillAsync(product.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("product-card")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Link, new() { Name = product.Name }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = product.Name })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("price")).ToHaveTextAsync("€24.50");
        await Expect(page.GetByText("In stock")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Category" })).ToContainTextAsync("Catalog");
    });

    [Fact]
    public Task Add_to_cart_and_change_the_quantity() => ScenarioAsync(nameof(Add_to_cart_and_change_the_quantity), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync(), price: 12.25m);
        var page = await VisitorAsync();
        await RegisterAsync(page);

        await AddToCartAsync(page, product, 2);
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("2");

        await page.GotoAsync("/cart");
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("subtotal")).ToHaveTextAsync("€24.50");
        await page.GetByLabel($"Quantity of {product.Name}").FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Update cart" }).ClickAsync();
        await Expect(page.GetByTestId("subtotal")).ToHaveTextAsync("€36.75");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("3");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {product.Name}" }).ClickAsync();
        await Expect(page.GetByText("Your cart is empty.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");
    });

    [Fact]
    public Task Register_sign_out_and_sign_in_again() => ScenarioAsync(nameof(Register_sign_out_and_sign_in_again), async () =>
    {
        var page = await VisitorAsync();
        var email = await RegisterAsync(page, displayName: "Grace Hopper");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByText("You are signed out.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // A page for signed-in users sends the browser to sign in, and back afterwards.
        await page.GotoAsync("/orders");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email or password is not right");

        await page.GetByLabel("Password").FillAsync(Accounts.StrongPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your orders" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Checkout_with_the_success_card_shows_the_order_paid_in_the_history() => ScenarioAsync(nameof(Checkout_with_the_success_card_shows_the_order_paid_in_the_history), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync(), price: 30m);
        var page = await VisitorAsync();
        await RegisterAsync(page);
        await AddToCartAsync(page, product, 1);

        await FillCheckoutAsync(page, "4242 4242 4242 4242");
        await page.GetByTestId("place-order").ClickAsync();

        await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(OrderPage);
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        await Expect(page.GetByTestId("cart-count")).ToHaveTextAsync("0");

        await page.GotoAsync("/orders");
        await Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("order-row").GetByTestId("order-status")).ToHaveTextAsync("Paid");
    });

    [Fact]
    public Task A_declined_card_shows_the_decline_and_no_order_is_paid() => ScenarioAsync(nameof(A_declined_card_shows_the_decline_and_no_order_is_paid), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var page = await VisitorAsync();
        var email = await RegisterAsync(page);
        await AddToCartAsync(page, product, 1);

        await FillCheckoutAsync(page, Shopping.Cards.Declined);
        await page.GetByTestId("place-order").ClickAsync();

        await Expect(page.GetByTestId("checkout-declined")).ToContainTextAsync("Your card was declined.");
        var customer = await CustomerAsync(email);
        var orders = await Fixture.OrdersOfAsync(customer);
        Assert.DoesNotContain(orders, order => order.Status == "Paid");
        Assert.Equal(10, (await Fixture.StockAsync(product.Id)).Available);
    });

    [Fact]
    public Task Double_clicking_place_order_places_one_order() => ScenarioAsync(nameof(Double_clicking_place_order_places_one_order), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var page = await VisitorAsync();
        var email = await RegisterAsync(page);
        await AddToCartAsync(page, product, 1);

        // The slow card keeps the first submission busy for seconds, so the second arrives while it runs.
        await FillCheckoutAsync(page, Shopping.Cards.Slow);
        // Both clicks must reach the web app (an enhanced form that dropped the second would prove nothing here).
        var posts = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/checkout")
            {
                Interlocked.Increment(ref posts);
            }
        };
        await page.GetByTestId("place-order").DblClickAsync();

        await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 45_000 });
        Assert.Equal(2, Volatile.Read(ref posts));
        var orders = await Fixture.OrdersOfAsync(await CustomerAsync(email));
        Assert.Single(orders);
        Assert.Equal(9, (await Fixture.StockAsync(product.Id)).OnHand);
    });

    [Fact]
    public Task Cancelling_a_paid_order_shows_the_refund() => ScenarioAsync(nameof(Cancelling_a_paid_order_shows_the_refund), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync(), price: 19.99m);
        var page = await VisitorAsync();
        await RegisterAsync(page);
        await AddToCartAsync(page, product, 1);
        await FillCheckoutAsync(page, Shopping.Cards.Succeeds);
        await page.GetByTestId("place-order").ClickAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Paid");

        await page.GetByTestId("cancel-order").ClickAsync();

        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.GetByTestId("refunded")).ToContainTextAsync("€19.99");
        await Expect(page.GetByTestId("cancel-order")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task An_admin_ships_an_order_and_the_customers_open_page_shows_it() => ScenarioAsync(nameof(An_admin_ships_an_order_and_the_customers_open_page_shows_it), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var customer = await VisitorAsync("customer");
        await RegisterAsync(customer);
        await AddToCartAsync(customer, product, 1);
        await FillCheckoutAsync(customer, Shopping.Cards.Succeeds);
        await customer.GetByTestId("place-order").ClickAsync();
        await Expect(customer.GetByTestId("order-status")).ToHaveTextAsync("Paid");
        var orderId = customer.Url.Split('/', '?')[4];

        var admin = await VisitorAsync("admin");
        await SignInAsync(admin, await Fixture.ParameterValueAsync("admin-email"), await Fixture.ParameterValueAsync("admin-password"));
        await admin.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Orders to ship" })).ToBeVisibleAsync();
        // Oldest first, as orders are shipped: other tests' paid orders come before this one, so page on until it shows.
        var row = admin.Locator($"[data-order-id='{orderId}']");
        for (var pages = 0; await row.CountAsync() == 0 && pages < 200; pages++)
        {
            var next = await admin.GetByRole(AriaRole.Link, new() { Name = "Next page" }).GetAttributeAsync("href");
            await admin.GotoAsync(next!);
        }

        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("is marked shipped");

        // The customer's page, open all along, follows without a reload.
        await Expect(customer.GetByTestId("order-status")).ToHaveTextAsync("Shipped");
    });

    [Fact]
    public Task Customers_do_not_see_the_administration() => ScenarioAsync(nameof(Customers_do_not_see_the_administration), async () =>
    {
        var page = await VisitorAsync();
        await RegisterAsync(page);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToHaveCountAsync(0);

        await page.GotoAsync("/admin/orders");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This page is not for your account" })).ToBeVisibleAsync();
        Assert.DoesNotContain("/admin/orders", page.Url.Split('?')[0]);
    });

    [Fact]
    public Task Pages_fit_a_375_pixel_wide_phone() => ScenarioAsync(nameof(Pages_fit_a_375_pixel_wide_phone), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var page = await VisitorAsync();
        await page.SetViewportSizeAsync(375, 740);
        await RegisterAsync(page);
        await AddToCartAsync(page, product, 1);

        foreach (var path in new[] { "/", "/catalog", $"/products/{product.Slug}", "/cart", "/checkout", "/account" })
        {
            await page.GotoAsync(path);
            // Nothing wider than the screen: no sideways scrolling on a phone.
            var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
            var widest = await page.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                    .slice(0, 5)
                    .map(e => `${e.tagName.toLowerCase()}.${e.className} ends at ${Math.round(e.getBoundingClientRect().right)}`)
                """);
            Assert.True(width <= 375, $"{path} is {width} px wide at 375 px: {string.Join("; ", widest)}");
        }
    });

    [Fact]
    public Task A_session_ended_elsewhere_signs_the_browser_out_cleanly() => ScenarioAsync(nameof(A_session_ended_elsewhere_signs_the_browser_out_cleanly), async () =>
    {
        var page = await VisitorAsync();
        var email = await RegisterAsync(page);

        // The password changed on another device: user-api ends every other session, this browser's included.
        using var userApi = Fixture.CreateClient("user-api");
        var tokens = await Accounts.SignInAsync(userApi, email, Accounts.StrongPassword);
        using var changed = await userApi.SendAsync(Accounts.Authorized(HttpMethod.Put, "/api/users/me/password", tokens.AccessToken,
            new { currentPassword = Accounts.StrongPassword, newPassword = "an entirely new passphrase" }));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await page.GotoAsync("/orders");
        await Expect(page.GetByText("Your session has ended. Sign in again to continue.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("an entirely new passphrase");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your orders" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_form_shown_to_another_customer_is_not_sent_after_switching_accounts_in_another_tab() => ScenarioAsync(
        nameof(A_form_shown_to_another_customer_is_not_sent_after_switching_accounts_in_another_tab), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var first = await VisitorAsync();
        await RegisterAsync(first, "First Customer");
        await AddToCartAsync(first, product, 2);
        await first.GotoAsync("/cart");

        // Another tab of the same browser signs out and registers someone else, whose cart holds one of the product.
        var second = await NewTabAsync(first, "second tab");
        await second.GotoAsync("/");
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await RegisterAsync(second, "Second Customer");
        await AddToCartAsync(second, product, 1);

        // The first tab's cart form belonged to the first customer: removing from it must not touch the second's cart.
        await first.GetByRole(AriaRole.Button, new() { Name = $"Remove {product.Name}" }).ClickAsync();

        await Expect(first.GetByRole(AriaRole.Heading, new() { Name = "That form was not sent" })).ToBeVisibleAsync();
        await first.GetByTestId("form-expired-back").ClickAsync();
        await Expect(first.GetByLabel($"Quantity of {product.Name}")).ToHaveValueAsync("1");
        await second.GotoAsync("/cart");
        await Expect(second.GetByLabel($"Quantity of {product.Name}")).ToHaveValueAsync("1");

        // A post from another site carries no token: it is not processed either (still signed in afterwards).
        var forged = await second.APIRequest.PostAsync("/account/logout", new() { Form = second.APIRequest.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(303, forged.Status);
        Assert.StartsWith("/form-expired", forged.Headers["location"]);
        await second.ReloadAsync();
        await Expect(second.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task The_address_book_keeps_a_default_that_checkout_offers_first() => ScenarioAsync(nameof(The_address_book_keeps_a_default_that_checkout_offers_first), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync());
        var page = await VisitorAsync();
        await RegisterAsync(page);

        foreach (var (label, street) in new[] { ("Home", "1 Home Lane"), ("Office", "2 Office Road") })
        {
            await page.GotoAsync("/account/addresses/new");
            await page.GetByLabel("Label (optional)").FillAsync(label);
            await page.GetByLabel("Full name").FillAsync("Ada Lovelace");
            await page.GetByLabel("Address line 1").FillAsync(street);
            await page.GetByLabel("City").FillAsync("London");
            await page.GetByLabel("Postal code").FillAsync("N1 9GU");
            await page.GetByLabel("Country code").FillAsync("GB");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save address" }).ClickAsync();
            await Expect(page.GetByTestId("address").Filter(new() { HasText = street })).ToBeVisibleAsync();
        }

        // The first address saved is the default; the customer makes the second one the default instead.
        await Expect(page.GetByTestId("address").Filter(new() { HasText = "1 Home Lane" })).ToContainTextAsync("Default");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make the address of Ada Lovelace, 2 Office Road the default" }).ClickAsync();
        await Expect(page.GetByTestId("address").Filter(new() { HasText = "2 Office Road" })).ToContainTextAsync("Default");
        await Expect(page.GetByTestId("address").Filter(new() { HasText = "1 Home Lane" })).Not.ToContainTextAsync("Default");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete the address of Ada Lovelace, 1 Home Lane" }).ClickAsync();
        await Expect(page.GetByTestId("address")).ToHaveCountAsync(1);

        await AddToCartAsync(page, product, 1);
        await page.GotoAsync("/checkout");
        await Expect(page.GetByLabel("Office: Ada Lovelace, 2 Office Road, N1 9GU London, GB (default)")).ToBeCheckedAsync();
        await FillCardAsync(page, Shopping.Cards.Succeeds);
        await page.GetByTestId("place-order").ClickAsync();
        await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync();
        await Expect(page.GetByText("2 Office Road")).ToBeVisibleAsync();
    });

    [Fact]
    public Task An_admin_edits_a_price_and_adjusts_stock() => ScenarioAsync(nameof(An_admin_edits_a_price_and_adjusts_stock), async () =>
    {
        var product = await Fixture.CreateProductAsync(await Fixture.CreateCategoryAsync(), price: 10m, stock: 10);
        var admin = await VisitorAsync("admin");
        await SignInAsync(admin, await Fixture.ParameterValueAsync("admin-email"), await Fixture.ParameterValueAsync("admin-password"));

        await admin.GotoAsync($"/admin/products?q={Uri.EscapeDataString(product.Sku)}");
        await admin.GetByRole(AriaRole.Link, new() { Name = product.Name }).ClickAsync();
        await admin.GetByLabel("Price (EUR)").FillAsync("12.5");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("The product is saved.");

        await admin.GetByLabel("Change (+ received, − lost or damaged)").FillAsync("-3");
        await admin.GetByLabel("Reason").FillAsync("Damaged in the warehouse");
        // A double click sends the form twice under its one key: the stock changes once.
        var posts = 0;
        admin.Request += (_, request) =>
        {
            if (request.Method == "POST" && new Uri(request.Url).AbsolutePath == $"/admin/products/{product.Id}")
            {
                Interlocked.Increment(ref posts);
            }
        };
        await admin.GetByRole(AriaRole.Button, new() { Name = "Adjust stock" }).DblClickAsync();
        await Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("The stock is adjusted.");
        await Expect(admin.GetByTestId("stock-level")).ToContainTextAsync("On hand 7");
        Assert.Equal(2, Volatile.Read(ref posts));

        Assert.Equal(7, (await Fixture.StockAsync(product.Id)).OnHand);
        var shopper = await VisitorAsync("shopper");
        await shopper.GotoAsync($"/products/{product.Slug}");
        await Expect(shopper.GetByTestId("price")).ToHaveTextAsync("€12.50");
    });

    private async Task<SignedInUser> CustomerAsync(string email)
    {
        using var client = Fixture.CreateClient("user-api");
        var tokens = await Accounts.SignInAsync(client, email, Accounts.StrongPassword);
        return new SignedInUser(Guid.Empty, email, Accounts.StrongPassword, tokens.AccessToken, tokens.RefreshToken);
    }
}
