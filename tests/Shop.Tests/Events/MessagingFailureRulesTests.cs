using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Shop.ServiceDefaults.Messaging;
using Shop.ServiceDefaults.Resilience;

namespace Shop.Tests.Events;

/// <summary>
/// Which handler failures are transient (retried for up to ~20 minutes before a message becomes a dead letter)
/// and which are faults of the message or the code (dead letter after ~20 seconds).
/// </summary>
public sealed class MessagingFailureRulesTests
{
    [Fact]
    public void An_unreachable_database_an_unavailable_dependency_or_a_concurrent_change_is_transient_however_it_is_wrapped()
    {
        var unreachable = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        Assert.True(MessagingExtensions.IsTransient(unreachable));
        Assert.True(MessagingExtensions.IsTransient(new RetryLimitExceededException("The retries ran out.", unreachable)));
        Assert.True(MessagingExtensions.IsTransient(new DependencyUnavailableException("cart store (Redis)", "timeout")));
        Assert.True(MessagingExtensions.IsTransient(new DbUpdateConcurrencyException("The order changed meanwhile.")));
    }

    [Fact]
    public void A_refused_statement_or_a_bug_is_not_transient()
    {
        Assert.False(MessagingExtensions.IsTransient(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        Assert.False(MessagingExtensions.IsTransient(new InvalidOperationException("a bug", new ArgumentException("bad"))));
    }
}
