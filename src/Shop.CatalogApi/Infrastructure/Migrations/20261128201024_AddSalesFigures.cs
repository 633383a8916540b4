using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.CatalogApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AddSalesFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "units_sold",
                table: "stock",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "order_sales",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_order_sales", x => x.order_id);
                    table.CheckConstraint("ck_order_sales_state", "state IN ('paid', 'cancelled')");
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_stock_units_sold_not_negative",
                table: "stock",
                sql: "units_sold >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "order_sales");

            migrationBuilder.DropCheckConstraint(
                name: "ck_stock_units_sold_not_negative",
                table: "stock");

            migrationBuilder.DropColumn(
                name: "units_sold",
                table: "stock");
        }
    }
}
