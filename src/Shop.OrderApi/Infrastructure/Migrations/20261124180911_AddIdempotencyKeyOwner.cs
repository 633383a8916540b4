using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.OrderApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class AddIdempotencyKeyOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "owner",
                table: "idempotency_records",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "owner",
                table: "idempotency_records");
        }
    }
}
