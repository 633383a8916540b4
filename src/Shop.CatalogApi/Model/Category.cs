namespace Shop.CatalogApi.Model;

/// <summary>A node of the catalog's category tree, addressed in URLs by its unique slug.</summary>
public sealed class Category
{
    public const int NameMaxLength = 100;
    public const int SlugMaxLength = 100;

    // For EF Core materialization.
    private Category()
    {
    }

    public Category(string name, string slug, Guid? parentId)
    {
        Id = Guid.CreateVersion7();
        Rename(name, slug);
        ParentId = parentId;
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = null!;

    public string Slug { get; private set; } = null!;

    public Guid? ParentId { get; private set; }

    /// <summary>Postgres's row version (xmin); part of the cache key of the products in this category.</summary>
    public uint Version { get; private set; }

    public void Rename(string name, string slug)
    {
        Name = name.Trim();
        Slug = slug;
    }

    public void MoveUnder(Guid? parentId) => ParentId = parentId;
}
