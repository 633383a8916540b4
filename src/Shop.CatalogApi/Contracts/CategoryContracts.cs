using System.ComponentModel.DataAnnotations;
using Shop.CatalogApi.Model;

namespace Shop.CatalogApi.Contracts;

public sealed record CategoryResponse(Guid Id, string Name, string Slug, Guid? ParentId);

/// <summary>A category to create or replace; the slug is made from the name when left out.</summary>
public sealed record CategoryRequest(
    [property: Required, MaxLength(Category.NameMaxLength)] string Name,
    [property: MaxLength(Category.SlugMaxLength), Slug] string? Slug,
    Guid? ParentId);

public static class CategoryMappings
{
    public static CategoryResponse ToResponse(this Category category) => new(category.Id, category.Name, category.Slug, category.ParentId);
}
