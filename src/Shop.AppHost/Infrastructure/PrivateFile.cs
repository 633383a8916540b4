namespace Shop.AppHost.Infrastructure;

internal static class PrivateFile
{
    /// <summary>Writes a file only its owner can read: passwords never sit on a command line or in a world-readable file.</summary>
    public static void Write(string path, string contents)
    {
        File.WriteAllText(path, contents);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
