using System.Globalization;
using System.Text;

namespace Shop.CatalogApi.Services;

public static class Slugs
{
    /// <summary>"Noise-Cancelling Headphones (2nd gen)" → "noise-cancelling-headphones-2nd-gen".</summary>
    public static string From(string text, int maxLength)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        if (slug.Length > maxLength)
        {
            slug = slug[..maxLength].TrimEnd('-');
        }

        return slug.Length > 0 ? slug : "item";
    }
}
