using Shop.Tests.Infrastructure;

namespace Shop.Tests.Replicas;

/// <summary>Shop:Replicas runs every API that many times; a value it cannot honour stops the AppHost at once.</summary>
public sealed class ReplicaConfigurationTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("three")]
    [InlineData("1.5")]
    public async Task A_replica_count_that_is_not_a_whole_number_of_at_least_one_is_refused_naming_the_setting(string replicas)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(["--Infrastructure:Mode=local", $"--Shop:Replicas={replicas}"]));

        var exception = Innermost<DistributedApplicationException>(failure);
        Assert.Contains($"Shop:Replicas is '{replicas}'", exception.Message);
        Assert.Contains("whole number of 1 or more", exception.Message);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("3", 3)]
    public async Task Every_api_gets_the_replica_count(string? replicas, int expected)
    {
        string[] args = replicas is null ? ["--Infrastructure:Mode=local"] : ["--Infrastructure:Mode=local", $"--Shop:Replicas={replicas}"];
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Shop_AppHost>(args);

        foreach (var api in ShopAppFixture.ApiNames)
        {
            Assert.Equal(expected, builder.Resources.Single(r => r.Name == api).GetReplicaCount());
        }
    }

    [Fact]
    public async Task The_replica_header_is_never_published()
    {
        foreach (var api in ShopAppFixture.ApiNames)
        {
            Assert.DoesNotContain("Diagnostics:InstanceHeader", (await PublishedManifest.LiteralEnvironmentAsync(api)).Keys);
        }
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
