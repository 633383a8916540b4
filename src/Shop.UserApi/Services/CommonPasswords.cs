using System.Collections.Frozen;

namespace Shop.UserApi.Services;

/// <summary>
/// Passwords that meet the length rule yet appear near the top of every breached-password list, so an
/// attacker tries them first. Compared without regard to case.
/// </summary>
public static class CommonPasswords
{
    private static readonly FrozenSet<string> Passwords = Load();

    public static bool Contains(string password) => Passwords.Contains(password.Trim());

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("Shop.UserApi.Services.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded common-passwords list is missing.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                lines.Add(line.Trim());
            }
        }

        return lines.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
