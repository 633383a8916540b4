using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.PaymentApi.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PendingRefundsReversalsAndProcessorBooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completed_at",
                table: "refunds",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_attempt_at",
                table: "refunds",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<string>(
                name: "status",
                table: "refunds",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Completed");

            // Refunds made before this migration were paid inside their request: they are complete.
            migrationBuilder.Sql("UPDATE refunds SET completed_at = created_at, next_attempt_at = created_at;");

            migrationBuilder.AddColumn<decimal>(
                name: "refund_pending_amount",
                table: "payments",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "reversal",
                table: "payments",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "reversal_next_attempt_at",
                table: "payments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "simulated_processor_operations",
                columns: table => new
                {
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reference = table.Column<Guid>(type: "uuid", nullable: false),
                    payment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    amount = table.Column<decimal>(type: "numeric(12,2)", precision: 12, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "character(3)", fixedLength: true, maxLength: 3, nullable: false),
                    result = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    decline_reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    quirk = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_simulated_processor_operations", x => new { x.kind, x.reference });
                });

            migrationBuilder.CreateIndex(
                name: "ix_refunds_next_attempt_at",
                table: "refunds",
                column: "next_attempt_at",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_payments_reversal_next_attempt_at",
                table: "payments",
                column: "reversal_next_attempt_at",
                filter: "reversal = 'Pending'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_payments_refunds_within_amount",
                table: "payments",
                sql: "refund_pending_amount >= 0 AND refunded_amount + refund_pending_amount <= amount");

            migrationBuilder.CreateIndex(
                name: "ix_simulated_processor_operations_payment_id",
                table: "simulated_processor_operations",
                column: "payment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "simulated_processor_operations");

            migrationBuilder.DropIndex(
                name: "ix_refunds_next_attempt_at",
                table: "refunds");

            migrationBuilder.DropIndex(
                name: "ix_payments_reversal_next_attempt_at",
                table: "payments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_payments_refunds_within_amount",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "completed_at",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "next_attempt_at",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "status",
                table: "refunds");

            migrationBuilder.DropColumn(
                name: "refund_pending_amount",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "reversal",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "reversal_next_attempt_at",
                table: "payments");
        }
    }
}
