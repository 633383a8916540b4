using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Shop.ServiceDefaults.Messaging;
using Shop.ServiceDefaults.Resilience;

namespace Shop.Tests.Events;

/// <summary>
/// Which handler failures are outages (retried for up to ~20 minutes before a message becomes a dead letter)
/// and which are faults of the message or the code (dead letter after ~20 seconds).
/// </summary>
public sealed class MessagingFailureRulesTests
{
    [Fact]
    public void An_unreachable_database_or_an_unavailable_dependency_is_an_outage_however_it_is_wrapped()
    {
        var unreachable = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(MessagingExtensions.IsOutage(unreachable));
        Assert.True(MessagingExtensions.IsOutage(new RetryLimitExceededException("The retries ran out.", unreachable)));
        Assert.True(MessagingExtensions.IsOutage(new DependencyUnavailableException("cart store (Redis)", "timeout")));
    }

    [Fact]
    public void A_refused_statement_or_a_bug_is_not_an_outage()
    {
        Assert.False(MessagingExtensions.IsOutage(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.False(MessagingExtensions.IsOutage(new InvalidOperationException("a bug", new ArgumentException("bad"))));
    }
}
