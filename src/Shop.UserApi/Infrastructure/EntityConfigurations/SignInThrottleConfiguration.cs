using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.UserApi.Model;

namespace Shop.UserApi.Infrastructure.EntityConfigurations;

internal sealed class SignInThrottleConfiguration : IEntityTypeConfiguration<SignInThrottle>
{
    public void Configure(EntityTypeBuilder<SignInThrottle> builder)
    {
        builder.ToTable("sign_in_throttles");
        builder.HasKey(t => t.NormalizedEmail);
        builder.Property(t => t.NormalizedEmail).HasMaxLength(User.EmailMaxLength);
    }
}
