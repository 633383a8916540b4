using System.Collections.Concurrent;
using System.Globalization;

namespace Shop.WebApp;

/// <summary>How the pages write money and times: in the browser's culture (Accept-Language), in the store's currency.</summary>
public static class Formats
{
    private static readonly ConcurrentDictionary<string, string> Symbols = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Currencies without minor units (ISO 4217); every other one shows two decimals, whatever the culture's own currency uses.</summary>
    private static readonly HashSet<string> WholeUnitCurrencies = new(["JPY", "KRW", "ISK", "CLP", "VND", "UGX", "XAF", "XOF", "PYG"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The money format of each culture and currency pair met so far: a few dozen at most (the supported cultures
    /// times the catalog's currencies), built once rather than cloned for every price on a page.</summary>
    private static readonly ConcurrentDictionary<(string Culture, string? Currency), NumberFormatInfo> MoneyFormats = new();

    /// <summary>An amount of <paramref name="currency"/> (ISO 4217) as the current culture writes money: "€1,234.50" or "1.234,50 €".</summary>
    public static string Money(decimal amount, string? currency) =>
        amount.ToString("C", MoneyFormats.GetOrAdd((CultureInfo.CurrentCulture.Name, currency), MoneyFormat));

    private static NumberFormatInfo MoneyFormat((string Culture, string? Currency) key)
    {
        var currency = key.Currency;
        var format = (NumberFormatInfo)CultureInfo.GetCultureInfo(key.Culture).NumberFormat.Clone();
        format.CurrencySymbol = currency is null ? "" : Symbols.GetOrAdd(currency, SymbolOf);
        // A Japanese browser must not see €24.50 rounded to €25: the decimals are the currency's, not the culture's.
        format.CurrencyDecimalDigits = currency is not null && WholeUnitCurrencies.Contains(currency) ? 0 : 2;
        return NumberFormatInfo.ReadOnly(format);
    }

    /// <summary>A time in UTC, said so: the server does not know the browser's time zone.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("g", CultureInfo.CurrentCulture) + " UTC";

    /// <summary>The symbol a region using the currency writes (€, $, £), or the code itself when none does.</summary>
    private static string SymbolOf(string currency) =>
        CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(culture => TryRegion(culture.Name))
            .FirstOrDefault(region => region is not null && string.Equals(region.ISOCurrencySymbol, currency, StringComparison.OrdinalIgnoreCase))
            ?.CurrencySymbol ?? currency.ToUpperInvariant();

    private static RegionInfo? TryRegion(string name)
    {
        try
        {
            return new RegionInfo(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
