using System.Security.Cryptography;

namespace Decentral.Remote;

/// <summary>
/// The deployment's admin token: 32 random bytes (hex) in <c>admin.token</c> of the state directory, mode
/// 600, created by the first `up` or `node` that needs it and read by `status`, `fault` and `up`. Every
/// admin request must carry it (<see cref="AdminGuard"/>): the admin endpoint listens on 127.0.0.1, where
/// every local account and every web page in a browser can reach it; the file's mode is what keeps other
/// accounts out. The token is a secret, so it comes from the operating system's cryptographic generator,
/// not the project's seeded one (which makes runs reproducible, and so would make the token guessable).
/// </summary>
public static class AdminToken
{
    public const string FileName = "admin.token";

    /// <summary>The token file of the deployment whose state lives in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>The deployment's token, creating the file (mode 600) when there is none yet.</summary>
    /// <exception cref="IOException">The file cannot be written or read (the message names it).</exception>
    public static string Ensure(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        Directory.CreateDirectory(stateDirectory);
        var path = PathIn(stateDirectory);
        if (Read(stateDirectory) is { } existing)
        {
            return existing;
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var writer = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            {
                writer.Write(token);
            }

            // Two processes may start at once: the first file in place wins, the other reads it.
            File.Move(temporary, path, overwrite: false);
            return token;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return Read(stateDirectory) ?? throw new IOException($"The admin token file {path} is empty or unreadable.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create the admin token file {path}: {e.Message}", e);
        }
    }

    /// <summary>The token in <paramref name="stateDirectory"/>, or null when there is none (no deployment ran there).</summary>
    public static string? Read(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        try
        {
            var text = File.ReadAllText(PathIn(stateDirectory)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot read the admin token file {PathIn(stateDirectory)}: {e.Message}", e);
        }
    }
}
