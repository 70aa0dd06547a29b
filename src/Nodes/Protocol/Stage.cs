namespace Decentral.Nodes.Protocol;

/// <summary>
/// A point in a node's progress: iteration t and agreement round r. Round 0 is the perturbation
/// phase (the iteration-t models); rounds 1…R are the MDAA rounds of iteration t. Stages order
/// lexicographically, which is the order in which a node passes through them.
/// </summary>
public readonly record struct Stage(int Iteration, int Round) : IComparable<Stage>
{
    public int CompareTo(Stage other) =>
        Iteration != other.Iteration ? Iteration.CompareTo(other.Iteration) : Round.CompareTo(other.Round);

    public static bool operator <(Stage a, Stage b) => a.CompareTo(b) < 0;

    public static bool operator >(Stage a, Stage b) => a.CompareTo(b) > 0;

    public static bool operator <=(Stage a, Stage b) => a.CompareTo(b) <= 0;

    public static bool operator >=(Stage a, Stage b) => a.CompareTo(b) >= 0;

    public override string ToString() => Round == 0 ? $"t{Iteration}" : $"t{Iteration}.r{Round}";
}
