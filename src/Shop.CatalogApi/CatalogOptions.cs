using System.ComponentModel.DataAnnotations;

namespace Shop.CatalogApi;

/// <summary>Settings of the catalog (section <c>Catalog</c>).</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>The store's currency (ISO 4217); every price is in it.</summary>
    [Required]
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "EUR";

    /// <summary>How long reserved units are held when the caller does not say.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReservationTtl { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often expired reservations are released.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReservationSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many product pages each replica keeps in memory (~2 KB each); when full, the cache starts over.</summary>
    [Range(100, 10_000_000)]
    public int ProductCacheSize { get; set; } = 20_000;

    /// <summary>
    /// Products of the generated demo catalog to ensure at start-up; null seeds 120 in Development and
    /// nothing elsewhere. A large number (100,000 and more) is loaded with COPY, for benchmarks.
    /// </summary>
    [Range(0, 10_000_000)]
    public int? SeedProductCount { get; set; }
}
