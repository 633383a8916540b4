using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.PaymentApi.Model;
using Shop.PaymentApi.Services;

namespace Shop.PaymentApi.Infrastructure.EntityConfigurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        // Refunds, paid and pending together, can never exceed what was captured, whatever the code does.
        builder.ToTable("payments", table =>
        {
            table.HasCheckConstraint("ck_payments_refunded_within_amount", "refunded_amount >= 0 AND refunded_amount <= amount");
            table.HasCheckConstraint("ck_payments_refunds_within_amount", "refund_pending_amount >= 0 AND refunded_amount + refund_pending_amount <= amount");
            table.HasCheckConstraint("ck_payments_amount_positive", "amount > 0");
        });
        builder.HasKey(p => p.Id);
        builder.HasIndex(p => p.OrderId).IsUnique();
        builder.Property(p => p.Amount).HasPrecision(12, 2);
        builder.Property(p => p.RefundedAmount).HasPrecision(12, 2);
        builder.Property(p => p.RefundPendingAmount).HasPrecision(12, 2);
        builder.Property(p => p.Reversal).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(p => p.CardBrand).HasMaxLength(20);
        builder.Property(p => p.CardLast4).HasMaxLength(4).IsFixedLength();
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.DeclineReason).HasMaxLength(100);
        builder.Property(p => p.Version).IsRowVersion();
        builder.HasIndex(p => p.UpdatedAt).HasFilter("status = 'Processing'");
        builder.HasIndex(p => p.ReversalNextAttemptAt).HasFilter("reversal = 'Pending'");
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<Refund>
{
    public void Configure(EntityTypeBuilder<Refund> builder)
    {
        builder.ToTable("refunds", table => table.HasCheckConstraint("ck_refunds_amount_positive", "amount > 0"));
        builder.HasKey(r => r.Id);
        builder.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.PaymentId);
        builder.Property(r => r.Amount).HasPrecision(12, 2);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(r => r.NextAttemptAt).HasFilter("status = 'Pending'");
    }
}

/// <summary>The simulated processor's own books (see <see cref="SimulatedPaymentProcessor"/>), not payment-api's.</summary>
internal sealed class SimulatedProcessorOperationConfiguration : IEntityTypeConfiguration<SimulatedProcessorOperation>
{
    public void Configure(EntityTypeBuilder<SimulatedProcessorOperation> builder)
    {
        builder.ToTable("simulated_processor_operations");
        builder.HasKey(o => new { o.Kind, o.Reference });
        builder.HasIndex(o => o.PaymentId);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Amount).HasPrecision(12, 2);
        builder.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(o => o.Result).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.DeclineReason).HasMaxLength(100);
        builder.Property(o => o.Quirk).HasConversion<string>().HasMaxLength(40);
    }
}
