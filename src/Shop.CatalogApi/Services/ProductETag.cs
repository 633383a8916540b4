using System.Globalization;

namespace Shop.CatalogApi.Services;

/// <summary>
/// A product's entity tag: <c>"{product}-{category}-{stock}"</c> row versions. Any change to what the
/// response shows changes it, so If-None-Match never answers 304 with stale stock. If-Match on a
/// product update compares only the product part: a reservation or a category rename in between is
/// not a conflicting edit of the product.
/// </summary>
public static class ProductETag
{
    public static string Create(uint productVersion, uint categoryVersion, uint stockVersion) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{productVersion}-{categoryVersion}-{stockVersion}\"");

    /// <summary>True when any tag in an If-None-Match value is this one (or "*").</summary>
    public static bool AnyMatches(string? ifNoneMatch, string etag) =>
        ifNoneMatch is not null
        && ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => candidate == "*" || candidate == etag || candidate == "W/" + etag);

    /// <summary>The product version an If-Match value names, when it is one of our tags.</summary>
    public static bool TryReadProductVersion(string? ifMatch, out uint productVersion)
    {
        productVersion = 0;
        if (ifMatch is null)
        {
            return false;
        }

        var tag = ifMatch.Trim();
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"')
        {
            return false;
        }

        var parts = tag[1..^1].Split('-');
        return parts.Length == 3 && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out productVersion);
    }
}
