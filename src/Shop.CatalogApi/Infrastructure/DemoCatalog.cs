using System.Globalization;
using Shop.CatalogApi.Services;

namespace Shop.CatalogApi.Infrastructure;

/// <summary>
/// A deterministic, realistic-looking catalog: a category tree with brands, product lines and
/// descriptions per category. Product <c>n</c> is always the same product, so seeding any count is
/// idempotent and a larger count extends a smaller one.
/// </summary>
public static class DemoCatalog
{
    public const string SkuPrefix = "DEMO-";

    public static readonly IReadOnlyList<DemoCategory> Categories =
    [
        new("Electronics", "electronics", null),
        new("Laptops", "laptops", "electronics"),
        new("Phones", "phones", "electronics"),
        new("Audio", "audio", "electronics"),
        new("Cameras", "cameras", "electronics"),
        new("Home & Kitchen", "home-kitchen", null),
        new("Kitchen Appliances", "kitchen-appliances", "home-kitchen"),
        new("Furniture", "furniture", "home-kitchen"),
        new("Sports & Outdoors", "sports-outdoors", null),
        new("Cycling", "cycling", "sports-outdoors"),
        new("Camping", "camping", "sports-outdoors"),
        new("Books", "books", null),
        new("Toys & Games", "toys-games", null),
    ];

    private static readonly IReadOnlyList<ProductLine> Lines =
    [
        new("laptops", ["Lumen", "Corvid", "Northwind"], ["Air 13", "Pro 14", "Studio 16", "Flex 15"], "Laptop",
            ["a lightweight aluminium body", "an all-day battery", "a bright high-resolution display", "a fast solid-state drive"], 449m, 2899m),
        new("phones", ["Orbit", "Pixelle", "Zephyr"], ["One", "Mini", "Max", "Lite"], "Smartphone",
            ["a triple camera", "5G connectivity", "a water-resistant glass body", "fast wireless charging"], 199m, 1499m),
        new("audio", ["Sonora", "Basswell", "Echo Lane"], ["Quiet", "Studio", "Sport", "Buds"], "Headphones",
            ["active noise cancelling", "30-hour battery life", "a foldable design", "low-latency Bluetooth"], 29m, 449m),
        new("cameras", ["Optica", "Shutterbug", "Aperture"], ["M50", "X-T4", "Zoom 200", "Action 4K"], "Camera",
            ["a full-frame sensor", "image stabilisation", "4K video recording", "a weather-sealed body"], 149m, 3499m),
        new("kitchen-appliances", ["Brewmaster", "Culina", "Frostline"], ["Espresso", "Blender", "Air Fryer", "Kettle"], "Machine",
            ["a stainless-steel finish", "one-touch programs", "dishwasher-safe parts", "an energy-saving mode"], 24m, 899m),
        new("furniture", ["Oakhaven", "Nordlys", "Habitat Row"], ["Desk", "Bookshelf", "Armchair", "Bed Frame"], "",
            ["solid oak", "tool-free assembly", "a scratch-resistant surface", "a ten-year warranty"], 59m, 1299m),
        new("cycling", ["Velocita", "Trailhead", "Gearwise"], ["Road", "Gravel", "Commuter", "Helmet"], "Bike",
            ["a carbon frame", "hydraulic disc brakes", "puncture-resistant tyres", "a lightweight build"], 39m, 3999m),
        new("camping", ["Summit", "Pinecrest", "Ridgeway"], ["Tent 2P", "Sleeping Bag", "Stove", "Backpack 45L"], "",
            ["waterproof fabric", "a packable design", "four-season insulation", "reinforced seams"], 19m, 599m),
        new("books", ["Harbor Press", "Quill & Co", "Lantern Books"], ["The Silent Orchard", "Patterns of Code", "A Short History of Salt", "Night Trains"], "Paperback",
            ["an acclaimed narrative", "practical exercises", "illustrated chapters", "a new foreword"], 7m, 59m),
        new("toys-games", ["Playforge", "Brickly", "Meeple Works"], ["Castle Set", "Puzzle 1000", "Strategy Game", "Racing Car"], "",
            ["hours of family fun", "durable pieces", "ages 8 and up", "a collectible edition"], 9m, 199m),
    ];

    /// <summary>Product number <paramref name="index"/> of the demo catalog.</summary>
    public static DemoProduct Product(int index)
    {
        var line = Lines[index % Lines.Count];
        var round = index / Lines.Count;
        var brand = line.Brands[round % line.Brands.Count];
        var model = line.Models[(round / line.Brands.Count) % line.Models.Count];
        var generation = round / (line.Brands.Count * line.Models.Count);
        var name = $"{brand} {model}{(line.Noun.Length > 0 ? " " + line.Noun : "")}{(generation > 0 ? $" (gen {generation + 1})" : "")}";
        var sku = $"{SkuPrefix}{index.ToString("D7", CultureInfo.InvariantCulture)}";

        // A fixed seed per product: the same index always gives the same price, stock and wording.
        var random = new Random(index);
        var features = line.Features.OrderBy(_ => random.Next()).Take(2).ToList();
        var price = decimal.Round(line.MinPrice + ((line.MaxPrice - line.MinPrice) * (decimal)random.NextDouble()), 0) - 0.01m;
        var stock = random.Next(10) == 0 ? 0 : random.Next(1, 200);
        return new DemoProduct(
            sku,
            name,
            Slugs.From($"{name} {sku}", 200),
            $"The {name} by {brand} comes with {features[0]} and {features[1]}. {brand} designs for people who use their things every day.",
            brand,
            line.CategorySlug,
            Math.Max(price, 0.99m),
            $"https://images.shop.example/products/{sku.ToLowerInvariant()}.jpg",
            stock);
    }

    private sealed record ProductLine(
        string CategorySlug, IReadOnlyList<string> Brands, IReadOnlyList<string> Models, string Noun, IReadOnlyList<string> Features, decimal MinPrice, decimal MaxPrice);
}

public sealed record DemoCategory(string Name, string Slug, string? ParentSlug);

public sealed record DemoProduct(
    string Sku, string Name, string Slug, string Description, string Brand, string CategorySlug, decimal Price, string ImageUrl, int Stock);
