namespace Decentral.Host.Commands;

/// <summary>Bad command-line input: the command prints the message after its name and exits with <see cref="Cli.BadInput"/>.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    /// <summary>Runs <paramref name="parse"/>; an ArgumentException from it becomes a UsageException naming <paramref name="option"/>.</summary>
    public static T Wrap<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{option}: {FirstSentence(e.Message)}");
        }
    }

    /// <summary>ArgumentException appends " (Parameter 'x')"; the option name replaces it.</summary>
    public static string FirstSentence(string message)
    {
        var i = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return i < 0 ? message : message[..i];
    }
}
