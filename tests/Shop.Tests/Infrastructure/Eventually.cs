namespace Shop.Tests.Infrastructure;

/// <summary>Waiting for what happens a moment after the request that caused it (an event handled, a sweep run).</summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads until <paramref name="wanted"/> holds and returns that value; fails, naming <paramref name="what"/> and the
    /// last value read, after <paramref name="patience"/> (30 s unless given).
    /// </summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> wanted, string what, TimeSpan? patience = null)
    {
        var deadline = DateTimeOffset.UtcNow + (patience ?? Patience);
        while (true)
        {
            var value = await read();
            if (wanted(value))
            {
                return value;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Never happened: {what}. Last seen: {value}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
