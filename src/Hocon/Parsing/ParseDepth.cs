using System.Runtime.CompilerServices;

namespace Decentral.Hocon.Parsing;

/// <summary>
/// The nesting limit (<see cref="HoconParser.MaxNestingDepth"/>) while parsing. The parser recurses
/// once per object or list, so unbounded nesting would overflow the stack and kill the process;
/// counting levels turns it into an error at the bracket that goes too deep. An included file
/// continues the count of the object it is included into, so includes cannot stack files up past
/// the limit either.
/// </summary>
internal sealed class ParseDepth(int rootDepth)
{
    /// <summary>Objects and lists open at the current position, the root object being level 1.</summary>
    public int Levels { get; private set; } = rootDepth;

    /// <summary>Enters the object or list that <paramref name="open"/> starts (or that '+=' creates).</summary>
    public void Enter(Token open)
    {
        if (Levels >= HoconParser.MaxNestingDepth)
        {
            throw TooDeep(open.Origin, "");
        }

        // The count bounds the recursion on ordinary threads; a thread started with a very small
        // stack may still run out first, which must be an error too, not a crash.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new HoconParseException("objects and lists nested too deeply for this thread's stack", open.Origin);
        }

        Levels++;
    }

    /// <summary>Leaves the innermost object or list. Errors abort the whole parse, so no unwinding is needed.</summary>
    public void Leave() => Levels--;

    /// <summary>A dotted key <c>a.b.c</c> puts its value inside one object per element after the first.</summary>
    public void EnterKey(HoconPath key, Token keyStart)
    {
        if (Levels + key.Length - 1 > HoconParser.MaxNestingDepth)
        {
            throw TooDeep(keyStart.Origin, $" (the key has {key.Length} path elements)");
        }

        Levels += key.Length - 1;
    }

    public void LeaveKey(HoconPath key) => Levels -= key.Length - 1;

    public static HoconParseException TooDeep(ConfigOrigin origin, string detail) =>
        new($"nesting deeper than {HoconParser.MaxNestingDepth} levels of objects and lists{detail}", origin);
}
