using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.UserApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AddDefaultAddress : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "is_default",
                table: "addresses",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Addresses saved before defaults existed: each user's first one becomes the default, as a new first address would.
            migrationBuilder.Sql("""
                UPDATE addresses SET is_default = true
                WHERE id IN (SELECT DISTINCT ON (user_id) id FROM addresses ORDER BY user_id, id);
                """);

            migrationBuilder.CreateIndex(
                name: "ix_addresses_one_default_per_user",
                table: "addresses",
                column: "user_id",
                unique: true,
                filter: "is_default");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_addresses_one_default_per_user",
                table: "addresses");

            migrationBuilder.DropColumn(
                name: "is_default",
                table: "addresses");
        }
    }
}
