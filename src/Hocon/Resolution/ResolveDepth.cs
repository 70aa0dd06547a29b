using System.Runtime.CompilerServices;
using Decentral.Hocon.Parsing;

namespace Decentral.Hocon.Resolution;

/// <summary>
/// The nesting limit (<see cref="HoconParser.MaxNestingDepth"/>) during resolution. The parser bounds
/// each document, but substitutions put values inside other values: resolving recurses through the
/// object being built and, inside a substitution, through the value it refers to, and memoized values
/// are inserted whole. So two things are bounded here: the objects and lists being resolved at once
/// (the recursion, alongside the resolver's limit on nested substitutions), and the depth of every
/// object and list built (which renderers and the configuration provider later recurse over).
/// </summary>
/// <param name="innermostSubstitution">The substitution under evaluation, if any, to name in errors.</param>
internal sealed class ResolveDepth(Func<AstSubstitution?> innermostSubstitution)
{
    /// <summary>Objects and lists whose resolution is under way (the recursion depth in levels).</summary>
    public int Levels { get; private set; }

    /// <summary>Starts resolving the object or list written at <paramref name="origin"/>; pair with <see cref="Leave"/> in a finally.</summary>
    public void Enter(ConfigOrigin origin)
    {
        if (Levels >= HoconParser.MaxNestingDepth)
        {
            throw TooDeep(origin);
        }

        EnsureStack(origin);
        Levels++;
    }

    public void Leave() => Levels--;

    /// <summary>The object or list just built, unless substituted values made it deeper than the limit.</summary>
    public T Checked<T>(T value)
        where T : HoconValue => value.Depth <= HoconParser.MaxNestingDepth ? value : throw TooDeep(value.Origin);

    /// <summary>
    /// The value of <paramref name="substitution"/>, which goes into the object or list being resolved.
    /// A memoized value is inserted whole without being resolved again here, so its depth is checked
    /// where it lands: the error then names the substitution rather than some enclosing object.
    /// </summary>
    public HoconValue Placed(HoconValue value, AstSubstitution substitution) =>
        Levels + value.Depth <= HoconParser.MaxNestingDepth ? value : throw TooDeep(substitution.Origin);

    /// <summary>
    /// The counts bound the recursion on ordinary threads; a thread started with a very small stack
    /// may still run out first, which must be an error too, not a crash.
    /// </summary>
    public static void EnsureStack(ConfigOrigin origin)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new HoconResolveException("substitutions and objects nested too deeply for this thread's stack", origin);
        }
    }

    /// <summary>Names the substitution that brought the nesting here, when there is one.</summary>
    private HoconResolveException TooDeep(ConfigOrigin origin)
    {
        var via = innermostSubstitution();
        var reached = via is null || via.Origin == origin ? "" : $", reached through {via.Text} at {via.Origin}";
        return new HoconResolveException(
            $"nesting deeper than {HoconParser.MaxNestingDepth} levels of objects and lists, counting values put in by substitutions{reached}",
            origin);
    }
}
