using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.OrderApi.Infrastructure.Migrations
{
    /// <summary>
    /// Wolverine's inbox and outbox tables joined the model (so that SaveChanges writes the outbox rows), excluded
    /// from migrations: Wolverine creates and updates them at start-up, in the wolverine schema. Nothing to do here.
    /// </summary>
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
