using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults;
using Npgsql;
using Shop.ServiceDefaults.Authentication;

namespace Shop.CatalogApi.Apis;

public static class CategoriesApi
{
    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var categories = app.MapGroup("/api/categories").WithTags("Categories");
        categories.MapGet("/", ListCategories).AllowAnonymous();
        categories.MapPost("/", CreateCategory).RequireAuthorization(ShopPolicies.Admin);
        categories.MapPut("/{id:guid}", UpdateCategory).RequireAuthorization(ShopPolicies.Admin);
        categories.MapDelete("/{id:guid}", DeleteCategory).RequireAuthorization(ShopPolicies.Admin);
        return app;
    }

    public static async Task<Ok<List<CategoryResponse>>> ListCategories(CatalogDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Categories.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new CategoryResponse(c.Id, c.Name, c.Slug, c.ParentId)).ToListAsync(cancellationToken));

    public static async Task<Results<Created<CategoryResponse>, ValidationProblem, ProblemHttpResult>> CreateCategory(
        CategoryRequest request, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (request.ParentId is { } parentId && !await db.Categories.AnyAsync(c => c.Id == parentId, cancellationToken))
        {
            return UnknownParent();
        }

        var category = new Category(request.Name, request.Slug ?? Slugs.From(request.Name, Category.SlugMaxLength), request.ParentId);
        db.Categories.Add(category);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return SlugTaken(category.Slug);
        }
        catch (DbUpdateException ex) when (ex.IsForeignKeyViolation())
        {
            // The parent was deleted between the check above and the insert.
            return UnknownParent();
        }

        return TypedResults.Created($"/api/categories/{category.Id}", category.ToResponse());
    }

    public static async Task<Results<Ok<CategoryResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateCategory(
        Guid id, CategoryRequest request, CatalogDbContext db, CancellationToken cancellationToken)
    {
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (category is null)
        {
            return TypedResults.NotFound();
        }

        if (request.ParentId is { } parentId)
        {
            if (!await db.Categories.AnyAsync(c => c.Id == parentId, cancellationToken))
            {
                return UnknownParent();
            }

            // A category cannot sit below itself or one of its own descendants.
            var descendants = await db.Database.SqlQuery<Guid>($"""
                WITH RECURSIVE subtree AS (
                    SELECT id FROM categories WHERE id = {id}
                    UNION
                    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id)
                SELECT id AS "Value" FROM subtree
                """).ToListAsync(cancellationToken);
            if (descendants.Contains(parentId))
            {
                return TypedResults.Problem(title: "A category cannot be moved below itself", statusCode: StatusCodes.Status409Conflict);
            }
        }

        category.Rename(request.Name, request.Slug ?? category.Slug);
        category.MoveUnder(request.ParentId);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another edit or a delete won the race: the row this edit was based on is gone.
            return await db.Categories.AsNoTracking().AnyAsync(c => c.Id == id, cancellationToken)
                ? ChangedMeanwhile()
                : TypedResults.NotFound();
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return SlugTaken(category.Slug);
        }
        catch (DbUpdateException ex) when (ex.IsForeignKeyViolation())
        {
            // The new parent was deleted between the check above and the update.
            return UnknownParent();
        }

        return TypedResults.Ok(category.ToResponse());
    }

    public static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteCategory(Guid id, CatalogDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Categories.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        if (await db.Products.AnyAsync(p => p.CategoryId == id, cancellationToken) || await db.Categories.AnyAsync(c => c.ParentId == id, cancellationToken))
        {
            return TypedResults.Problem(
                title: "Category in use",
                detail: "Move its products and subcategories elsewhere first.",
                statusCode: StatusCodes.Status409Conflict);
        }

        try
        {
            await db.Categories.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return TypedResults.Problem(title: "Category in use", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.NoContent();
    }

    private static ValidationProblem UnknownParent() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(CategoryRequest.ParentId)] = ["No category has this id."] });

    private static ProblemHttpResult ChangedMeanwhile() =>
        TypedResults.Problem(title: "The category changed meanwhile", detail: "Read it again and repeat the edit.", statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult SlugTaken(string slug) =>
        TypedResults.Problem(title: "Slug already used", detail: $"Another category has the slug '{slug}'.", statusCode: StatusCodes.Status409Conflict);
}
