using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.CatalogApi.Infrastructure.Migrations
{
    /// <summary>
    /// Reserving and moving a reservation become one call each (see ReservationService): every stock row they lock
    /// is released by the COMMIT of the same implicit transaction, inside the server, instead of one round trip to
    /// catalog-api later. Several stock rows are locked one by one in product-id order (no deadlocks).
    /// </summary>
    public partial class StockChangesInOneRoundTrip : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- Reserves every line of a new order or none: a short, inactive or unknown product raises an error,
                -- which rolls back the lines taken before it.
                CREATE FUNCTION reserve_stock(p_order_id uuid, p_created_at timestamptz, p_expires_at timestamptz, p_product_ids uuid[], p_quantities integer[])
                RETURNS void
                LANGUAGE plpgsql
                AS $$
                DECLARE
                    line record;
                BEGIN
                    -- The row doubles as a lock: a concurrent call for the same order waits here, then fails with a
                    -- unique violation.
                    INSERT INTO reservations (order_id, status, created_at, expires_at)
                    VALUES (p_order_id, 'Active', p_created_at, p_expires_at);

                    -- An unknown product fails here (foreign key violation).
                    INSERT INTO reservation_lines (order_id, product_id, quantity)
                    SELECT p_order_id, l.product_id, l.quantity FROM unnest(p_product_ids, p_quantities) AS l(product_id, quantity);

                    FOR line IN
                        SELECT l.product_id, l.quantity FROM unnest(p_product_ids, p_quantities) AS l(product_id, quantity) ORDER BY l.product_id
                    LOOP
                        UPDATE stock AS s SET reserved = s.reserved + line.quantity
                        FROM products AS p
                        WHERE s.product_id = line.product_id AND p.id = s.product_id AND p.is_active
                          AND s.on_hand - s.reserved >= line.quantity;
                        IF NOT FOUND THEN
                            RAISE EXCEPTION 'Not enough stock of product %', line.product_id USING ERRCODE = 'SHORT';
                        END IF;
                    END LOOP;
                END
                $$;

                -- Moves a reservation from one status to another when the guard holds (status, and the expiry rule
                -- 'Any', 'OnlyBeforeExpiry' or 'OnlyAfterExpiry'), and its lines' stock by the given amounts per unit.
                -- Answers the reservation as moved, or no row when the guard matched nothing.
                CREATE FUNCTION move_reservation(p_order_id uuid, p_from text, p_to text, p_expiry text, p_now timestamptz, p_on_hand_per_unit integer, p_reserved_per_unit integer)
                RETURNS SETOF reservations
                LANGUAGE plpgsql
                AS $$
                DECLARE
                    moved reservations;
                    line record;
                BEGIN
                    IF p_expiry NOT IN ('Any', 'OnlyBeforeExpiry', 'OnlyAfterExpiry') THEN
                        RAISE EXCEPTION 'Unknown expiry rule %', p_expiry;
                    END IF;

                    UPDATE reservations AS r SET status = p_to, closed_at = p_now
                    WHERE r.order_id = p_order_id AND r.status = p_from
                      AND CASE p_expiry
                            WHEN 'OnlyBeforeExpiry' THEN r.expires_at > p_now
                            WHEN 'OnlyAfterExpiry' THEN r.expires_at <= p_now
                            ELSE true
                          END
                    RETURNING r.* INTO moved;
                    IF NOT FOUND THEN
                        RETURN;
                    END IF;

                    FOR line IN
                        SELECT l.product_id, l.quantity FROM reservation_lines AS l WHERE l.order_id = p_order_id ORDER BY l.product_id
                    LOOP
                        UPDATE stock AS s
                        SET on_hand = s.on_hand + p_on_hand_per_unit * line.quantity, reserved = s.reserved + p_reserved_per_unit * line.quantity
                        WHERE s.product_id = line.product_id;
                    END LOOP;

                    RETURN NEXT moved;
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION move_reservation(uuid, text, text, text, timestamptz, integer, integer);
                DROP FUNCTION reserve_stock(uuid, timestamptz, timestamptz, uuid[], integer[]);
                """);
        }
    }
}
