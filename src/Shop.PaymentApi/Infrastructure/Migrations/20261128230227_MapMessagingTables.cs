using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.PaymentApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class MapMessagingTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
