using System.Text;
using Decentral.Hocon;

namespace Decentral.Configuration;

/// <summary>
/// Settings whose strings become file or directory paths, and what makes a string unusable as one.
/// .NET throws an ArgumentException for a NUL character when a string becomes a path and the file
/// system refuses over-long names only when a file is opened; <see cref="SettingsReader"/> checks every
/// such setting first, so each problem is a positioned configuration error naming the key.
/// </summary>
public static class ConfigPaths
{
    /// <summary>The longest path checked for, in UTF-8 bytes (Linux's PATH_MAX less its terminating NUL).</summary>
    public const int MaxPathBytes = 4095;

    /// <summary>The longest file or directory name, in UTF-8 bytes (NAME_MAX on Linux, and NTFS's limit).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>Every setting whose value becomes a path (the remote ones are used by `node`, `up`, `status` and `fault`).</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "decentral.model.data",
        "decentral.checkpoint.path",
        "decentral.remote.state-dir",
        "decentral.remote.tls.certificate",
    ];

    /// <summary>Why <paramref name="text"/> cannot be a path ("contains …"), or null when it can.</summary>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.AsSpan().IndexOfAny(Path.GetInvalidPathChars());
        if (at >= 0)
        {
            return $"contains the character U+{(int)text[at]:X4} (at position {at + 1}), which no path may hold";
        }

        if (Encoding.UTF8.GetByteCount(text) > MaxPathBytes)
        {
            return $"is {Encoding.UTF8.GetByteCount(text):N0} bytes long, more than the {MaxPathBytes:N0} a path may have";
        }

        foreach (var name in text.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]))
        {
            if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            {
                return $"has a file or directory name of {Encoding.UTF8.GetByteCount(name):N0} bytes, more than the {MaxNameBytes} one may have";
            }
        }

        return null;
    }

    /// <summary><paramref name="text"/> with control characters written as \uXXXX, for messages.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Records an error for every path setting (<see cref="Keys"/>) whose string cannot be a path.</summary>
    internal static void Check(ConfigReader reader)
    {
        foreach (var key in Keys)
        {
            if (StringAt(reader.Config, key) is { } text && Problem(text) is { } problem)
            {
                reader.Error(key, $"expected a file path, found a string that {problem}");
            }
        }
    }

    /// <summary>The string at <paramref name="key"/>, or null for anything else (the key's own reader reports wrong types).</summary>
    private static string? StringAt(Config config, string key)
    {
        try
        {
            return config.HasPath(key) && config.GetValue(key) is HoconScalar { Type: HoconValueType.String } s ? s.Text : null;
        }
        catch (HoconException)
        {
            return null;
        }
    }
}
