namespace Shop.Tests.Infrastructure;

public sealed class SystemTestRulesTests
{
    /// <summary>
    /// A test of the shared system that took no turn would run beside an outage it did not ask for, and
    /// fail now and then for no reason of its own.
    /// </summary>
    [Fact]
    public void Every_test_of_the_shared_system_takes_a_turn()
    {
        var withoutTurn = typeof(ShopAppFixture).Assembly.GetTypes()
            .Where(type => type.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(ShopAppFixture))))
            .Where(type => !type.IsSubclassOf(typeof(SystemTest)))
            .Select(type => type.Name);

        Assert.Empty(withoutTurn);
    }
}
