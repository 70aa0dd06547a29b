namespace Decentral.Hocon.Parsing;

/// <summary>
/// The JSON number grammar (leading zeros tolerated, as unquoted HOCON numbers often have them):
/// <c>-?digits(.digits)?([eE][+-]?digits)?</c>.
/// </summary>
internal static class NumberSyntax
{
    /// <summary>Length of the number that starts <paramref name="text"/>, or 0 when none does.</summary>
    public static int MatchLength(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        var digits = CountDigits(text, i);
        if (digits == 0)
        {
            return 0;
        }

        i += digits;
        if (i + 1 < text.Length && text[i] == '.' && CountDigits(text, i + 1) > 0)
        {
            i += 1 + CountDigits(text, i + 1);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-')
            {
                j++;
            }

            var exponentDigits = CountDigits(text, j);
            if (exponentDigits > 0)
            {
                i = j + exponentDigits;
            }
        }

        return i;
    }

    /// <summary>True when all of <paramref name="text"/> is one number.</summary>
    public static bool IsNumber(ReadOnlySpan<char> text) => text.Length > 0 && MatchLength(text) == text.Length;

    /// <summary>True when the number is also valid JSON (no leading zeros), so it can be written verbatim.</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        if (!IsNumber(text))
        {
            return false;
        }

        var start = text[0] == '-' ? 1 : 0;
        return !(text[start] == '0' && start + 1 < text.Length && char.IsAsciiDigit(text[start + 1]));
    }

    private static int CountDigits(ReadOnlySpan<char> text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }
}
