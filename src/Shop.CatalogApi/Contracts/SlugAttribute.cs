using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Shop.CatalogApi.Contracts;

/// <summary>Lower-case letters, digits and single hyphens between them, as in <c>noise-cancelling-headphones</c>.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed partial class SlugAttribute() : ValidationAttribute("Use lower-case letters, digits and single hyphens, such as 'red-shoes'.")
{
    public override bool IsValid(object? value) => value is null || (value is string slug && Pattern().IsMatch(slug));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}
