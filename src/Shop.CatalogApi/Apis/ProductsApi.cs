using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.CatalogApi.Contracts;
using Shop.CatalogApi.Events;
using Shop.CatalogApi.Infrastructure;
using Shop.CatalogApi.Model;
using Shop.CatalogApi.Services;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Authentication;
using Shop.ServiceDefaults.Messaging;

namespace Shop.CatalogApi.Apis;

public static class ProductsApi
{
    /// <summary>
    /// Names the logs of these endpoints ("Shop.CatalogApi.Apis.ProductsApi.Endpoints"), since a static class cannot be
    /// <see cref="ILogger{TCategoryName}"/>'s type argument.
    /// </summary>
    public sealed class Endpoints;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").WithTags("Products");

        products.MapGet("/", SearchProducts).AllowAnonymous();
        products.MapGet("/{id:guid}", GetProduct).AllowAnonymous();
        products.MapGet("/by-slug/{slug}", GetProductBySlug).AllowAnonymous();
        products.MapGet("/batch", GetProductsByIds).AllowAnonymous();

        products.MapPost("/", CreateProduct).RequireAuthorization(ShopPolicies.Admin);
        products.MapPut("/{id:guid}", UpdateProduct).RequireAuthorization(ShopPolicies.Admin);
        products.MapPost("/{id:guid}/activate", ActivateProduct).RequireAuthorization(ShopPolicies.Admin);
        products.MapPost("/{id:guid}/deactivate", DeactivateProduct).RequireAuthorization(ShopPolicies.Admin);

        return app;
    }

    /// <summary>
    /// Search and browse. Anyone may call it; admins may add includeInactive=true to see hidden products.
    /// </summary>
    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> SearchProducts(
        [AsParameters] ProductSearchRequest request, ProductSearch search, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        var firstPage = ProductQuery.From(request, includeInactive: request.IncludeInactive == true && principal.IsAdmin());
        var query = request.Cursor is null ? firstPage : firstPage.ContinuedAfter(request.Cursor);
        if (query is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cursor"] = ["The cursor is not one this API issued for this search."],
            });
        }

        return TypedResults.Ok(await search.SearchAsync(query, cancellationToken));
    }

    /// <summary>
    /// Active products among up to 100 ids, with the units available now (for carts and checkout).
    /// Unknown and inactive ids are simply not in the answer.
    /// </summary>
    public static async Task<Results<Ok<List<ProductSummary>>, ValidationProblem>> GetProductsByIds(
        [FromQuery] Guid[] ids, CatalogDbContext db, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        if (ids.Length is 0 or > ProductQuery.MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = [$"Give 1 to {ProductQuery.MaxLimit} product ids."] });
        }

        var currency = options.Value.Currency;
        var distinct = ids.Distinct().ToList();
        return TypedResults.Ok(await db.Products.AsNoTracking()
            .Where(p => distinct.Contains(p.Id) && p.IsActive)
            .Join(db.Stock, p => p.Id, s => s.ProductId, (p, s) => new ProductSummary(
                p.Id, p.Sku, p.Name, p.Slug, p.Brand, p.CategoryId, p.Price, currency,
                p.ImageUrls.Count > 0 ? p.ImageUrls[0] : null, s.OnHand - s.Reserved, p.IsActive, p.Revision))
            .ToListAsync(cancellationToken));
    }

    public static async Task<Results<Ok<ProductResponse>, StatusCodeHttpResult, NotFound>> GetProduct(
        Guid id, ProductCatalog catalog, HttpContext httpContext, CancellationToken cancellationToken) =>
        Respond(await catalog.FindByIdAsync(id, httpContext.User.IsAdmin(), cancellationToken), httpContext);

    public static async Task<Results<Ok<ProductResponse>, StatusCodeHttpResult, NotFound>> GetProductBySlug(
        string slug, ProductCatalog catalog, HttpContext httpContext, CancellationToken cancellationToken) =>
        Respond(await catalog.FindBySlugAsync(slug, httpContext.User.IsAdmin(), cancellationToken), httpContext);

    public static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> CreateProduct(
        CreateProductRequest request, CatalogDbContext db, EventOutbox<CatalogDbContext> outbox, ProductCatalog catalog, IOptions<CatalogOptions> options,
        TimeProvider timeProvider, ClaimsPrincipal principal, HttpContext httpContext, ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        if (await ValidateReferencesAsync(db, request.Product, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var now = timeProvider.GetUtcNow();
        var product = new Product(request.Product.ToDetails(), request.IsActive, now);
        db.Products.Add(product);
        db.Stock.Add(new Stock(product.Id, request.InitialStock));
        if (request.InitialStock > 0)
        {
            db.StockAdjustments.Add(new StockAdjustment(product.Id, 0, request.InitialStock, "Initial stock", principal.RequiredAccountId(), now));
        }

        try
        {
            await outbox.SaveChangesAsync([product.Changed(options.Value.Currency, now)], cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return DuplicateSkuOrSlug();
        }
        catch (DbUpdateException ex) when (ex.IsForeignKeyViolation())
        {
            // The category was deleted between the check above and the write.
            return UnknownCategory();
        }

        Log.ProductChanged(logger, product.Id, "created", principal.RequiredAccountId());
        // Products are never deleted: the one just written is there.
        var view = await catalog.FindByIdAsync(product.Id, includeInactive: true, cancellationToken)
            ?? throw new InvalidOperationException($"Product {product.Id} vanished after it was written.");
        httpContext.Response.Headers.ETag = view.ETag;
        return TypedResults.Created($"/api/products/{product.Id}", view.Product);
    }

    /// <summary>
    /// Replaces the editable fields. If-Match with the product's ETag is required: an edit based on a
    /// version someone else has changed since is refused with 412 and changes nothing.
    /// </summary>
    public static async Task<Results<Ok<ProductResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateProduct(
        Guid id, ProductRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, CatalogDbContext db, EventOutbox<CatalogDbContext> outbox,
        ProductCatalog catalog, IOptions<CatalogOptions> options, TimeProvider timeProvider, ClaimsPrincipal principal, HttpContext httpContext,
        ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return TypedResults.Problem(
                title: "If-Match required",
                detail: "Send the ETag of the product you edited in If-Match, so that concurrent edits cannot overwrite each other.",
                statusCode: StatusCodes.Status428PreconditionRequired);
        }

        var product = await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            return TypedResults.NotFound();
        }

        if (!ProductETag.TryReadProductVersion(ifMatch, out var expectedVersion) || expectedVersion != product.Version)
        {
            return StaleETag();
        }

        if (await ValidateReferencesAsync(db, request, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var now = timeProvider.GetUtcNow();
        product.Update(request.ToDetails(), now);
        // The version the client saw, not the one just read: the UPDATE only happens if nobody wrote since.
        db.Entry(product).Property(p => p.Version).OriginalValue = expectedVersion;
        try
        {
            await outbox.SaveChangesAsync([product.Changed(options.Value.Currency, now)], cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return StaleETag();
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return DuplicateSkuOrSlug();
        }
        catch (DbUpdateException ex) when (ex.IsForeignKeyViolation())
        {
            // The category was deleted between the check above and the write.
            return UnknownCategory();
        }

        catalog.Forget(id);
        Log.ProductChanged(logger, id, "updated", principal.RequiredAccountId());
        // Products are never deleted: the one just written is there.
        var view = await catalog.FindByIdAsync(id, includeInactive: true, cancellationToken)
            ?? throw new InvalidOperationException($"Product {id} vanished after it was written.");
        httpContext.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view.Product);
    }

    public static Task<Results<Ok<ProductResponse>, NotFound>> ActivateProduct(
        Guid id, CatalogDbContext db, EventOutbox<CatalogDbContext> outbox, ProductCatalog catalog, IOptions<CatalogOptions> options,
        TimeProvider timeProvider, ClaimsPrincipal principal, HttpContext httpContext, ILogger<Endpoints> logger, CancellationToken cancellationToken) =>
        SetActiveAsync(id, true, db, outbox, catalog, options.Value, timeProvider, principal, httpContext, logger, cancellationToken);

    /// <summary>Hides the product from customers. It stays in the catalog for the orders that refer to it.</summary>
    public static Task<Results<Ok<ProductResponse>, NotFound>> DeactivateProduct(
        Guid id, CatalogDbContext db, EventOutbox<CatalogDbContext> outbox, ProductCatalog catalog, IOptions<CatalogOptions> options,
        TimeProvider timeProvider, ClaimsPrincipal principal, HttpContext httpContext, ILogger<Endpoints> logger, CancellationToken cancellationToken) =>
        SetActiveAsync(id, false, db, outbox, catalog, options.Value, timeProvider, principal, httpContext, logger, cancellationToken);

    private static async Task<Results<Ok<ProductResponse>, NotFound>> SetActiveAsync(
        Guid id, bool isActive, CatalogDbContext db, EventOutbox<CatalogDbContext> outbox, ProductCatalog catalog, CatalogOptions options,
        TimeProvider timeProvider, ClaimsPrincipal principal, HttpContext httpContext, ILogger<Endpoints> logger, CancellationToken cancellationToken)
    {
        // Read, change, save with the row version as guard: a write in between makes the save fail, and the change
        // is made again on what that write left. Each failure means another write succeeded, so this ends.
        while (await db.Products.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) is { } product && product.IsActive != isActive)
        {
            var now = timeProvider.GetUtcNow();
            product.SetActive(isActive, now);
            try
            {
                await outbox.SaveChangesAsync([product.Changed(options.Currency, now)], cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
                continue;
            }

            catalog.Forget(id);
            Log.ProductChanged(logger, id, isActive ? "activated" : "deactivated", principal.RequiredAccountId());
            break;
        }

        var view = await catalog.FindByIdAsync(id, includeInactive: true, cancellationToken);
        if (view is null)
        {
            return TypedResults.NotFound();
        }

        httpContext.Response.Headers.ETag = view.ETag;
        return TypedResults.Ok(view.Product);
    }

    private static Results<Ok<ProductResponse>, StatusCodeHttpResult, NotFound> Respond(ProductView? view, HttpContext httpContext)
    {
        if (view is null)
        {
            return TypedResults.NotFound();
        }

        var headers = httpContext.Response.Headers;
        headers.ETag = view.ETag;
        // Anyone may store it, but must check back (cheaply, with the ETag) before using it again.
        headers.CacheControl = view.Product.IsActive ? "public, no-cache" : "private, no-cache";
        headers.Vary = "Authorization";
        return ProductETag.AnyMatches(httpContext.Request.Headers.IfNoneMatch, view.ETag)
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(view.Product);
    }

    private static async Task<ValidationProblem?> ValidateReferencesAsync(CatalogDbContext db, ProductRequest request, CancellationToken cancellationToken)
    {
        return await db.Categories.AnyAsync(c => c.Id == request.CategoryId, cancellationToken) ? null : UnknownCategory();
    }

    private static ValidationProblem UnknownCategory() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [nameof(ProductRequest.CategoryId)] = ["No category has this id."] });

    private static ProblemHttpResult StaleETag() => TypedResults.Problem(
        title: "The product changed since you read it",
        detail: "Read it again, reapply your change, and send the new ETag in If-Match.",
        statusCode: StatusCodes.Status412PreconditionFailed);

    private static ProblemHttpResult DuplicateSkuOrSlug() => TypedResults.Problem(
        title: "SKU or slug already used",
        detail: "Another product has this SKU or slug.",
        statusCode: StatusCodes.Status409Conflict);

    private static ProductDetails ToDetails(this ProductRequest request) => new(
        request.Sku,
        request.Name,
        // Made from name and SKU, so that two products of the same name still get distinct slugs.
        request.Slug ?? Slugs.From($"{request.Name} {request.Sku}", Product.SlugMaxLength),
        request.Description ?? string.Empty,
        request.Brand,
        request.CategoryId!.Value,
        request.Price!.Value,
        request.ImageUrls ?? []);
}
