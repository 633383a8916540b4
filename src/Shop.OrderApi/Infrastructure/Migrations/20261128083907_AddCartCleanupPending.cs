using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.OrderApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AddCartCleanupPending : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "cart_cleanup_pending",
                table: "orders",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_orders_paid_at",
                table: "orders",
                column: "paid_at",
                filter: "cart_cleanup_pending");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_paid_at",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "cart_cleanup_pending",
                table: "orders");
        }
    }
}
