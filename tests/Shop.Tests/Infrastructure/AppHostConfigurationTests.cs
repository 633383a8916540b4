namespace Shop.Tests.Infrastructure;

/// <summary>The AppHost refuses a configuration it cannot honour, at once and saying what to do.</summary>
public sealed class AppHostConfigurationTests
{
    [Theory]
    [InlineData("--Infrastructure:RedisServerPath=/nonexistent/redis-server", "Infrastructure:RedisServerPath")]
    [InlineData("--Infrastructure:PostgresBinDirectory=/nonexistent/bin", "Infrastructure:PostgresBinDirectory")]
    public async Task Local_mode_without_its_programs_fails_at_once_naming_the_setting(string setting, string named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(["--Infrastructure:Mode=local", setting]));

        var exception = Innermost<DistributedApplicationException>(failure);
        Assert.Contains("Infrastructure mode is local", exception.Message);
        Assert.Contains(named, exception.Message);
    }

    [Fact]
    public async Task An_unknown_mode_is_refused_with_the_valid_choices()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(["--Infrastructure:Mode=kubernetes"]));

        var exception = Innermost<DistributedApplicationException>(failure);
        Assert.Contains("auto, containers, local", exception.Message);
    }

    private static T Innermost<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a {typeof(T).Name}, got: {exception}");
    }
}
