using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.CatalogApi.Infrastructure.Migrations
{
    /// <summary>
    /// Every change to what a product page shows is announced on the <c>catalog_changes</c> channel when it
    /// commits: the product's id for a product or stock row, '*' for a category (any product may show it).
    /// Each replica's product cache listens and drops those entries (see ProductChangeFeed). Inserts need no
    /// announcement: nothing caches a product that does not exist yet.
    /// </summary>
    [DbContext(typeof(CatalogDbContext))]
    [Migration("20261128150000_NotifyProductChanges")]
    public partial class NotifyProductChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION catalog_notify_product_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_TABLE_NAME = 'categories' THEN
                        PERFORM pg_notify('catalog_changes', '*');
                    ELSIF TG_TABLE_NAME = 'stock' THEN
                        PERFORM pg_notify('catalog_changes', OLD.product_id::text);
                    ELSE
                        PERFORM pg_notify('catalog_changes', OLD.id::text);
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER products_notify_change AFTER UPDATE OR DELETE ON products
                    FOR EACH ROW EXECUTE FUNCTION catalog_notify_product_change();
                CREATE TRIGGER stock_notify_change AFTER UPDATE OR DELETE ON stock
                    FOR EACH ROW EXECUTE FUNCTION catalog_notify_product_change();
                CREATE TRIGGER categories_notify_change AFTER UPDATE OR DELETE ON categories
                    FOR EACH STATEMENT EXECUTE FUNCTION catalog_notify_product_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER categories_notify_change ON categories;
                DROP TRIGGER stock_notify_change ON stock;
                DROP TRIGGER products_notify_change ON products;
                DROP FUNCTION catalog_notify_product_change();
                """);
        }
    }
}
