using System.Text.RegularExpressions;

namespace Decentral.Simulation.Tests.Core;

/// <summary>
/// Actors that run under the simulator must not leave its thread or read the wall clock: no Ask,
/// PipeTo, async/await or Task.Delay (their continuations run on the thread pool and their timeouts on
/// a wall-clock token). This reads the sources of every actor class in the product.
/// </summary>
public sealed partial class SimulatedActorRulesTests
{
    [GeneratedRegex(@"class\s+\w+\s*(\([^)]*\))?\s*:\s*(ReceiveActor|UntypedActor|ActorBase)\b")]
    private static partial Regex ActorClass();

    [GeneratedRegex(@"\.Ask\s*[<(]|\.PipeTo\s*\(|\bawait\s|\basync\s|Task\.Delay\s*\(|Thread\.Sleep\s*\(|DateTime(Offset)?\.(Utc)?Now|Stopwatch")]
    private static partial Regex Forbidden();

    /// <summary>The checkout this test was compiled from (its own source file's path, walked up to Decentral.sln).</summary>
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var dir = new FileInfo(source).Directory;
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Decentral.sln")))
        {
            dir = dir.Parent;
        }

        Assert.True(dir is not null, $"Decentral.sln not found above {source}");
        return dir!.FullName;
    }

    /// <summary>Projects whose actors run in real time only (the CLI; the multi-process runtime's outboxes and inboxes).</summary>
    private static readonly string[] RealTimeOnly = ["Host", "Remote"];

    [Fact]
    public void Product_actors_use_neither_ask_nor_async_nor_the_wall_clock()
    {
        var root = RepositoryRoot();
        var actors = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !RealTimeOnly.Any(d => f.Contains($"{Path.DirectorySeparatorChar}{d}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Select(f => (File: f, Text: File.ReadAllText(f)))
            .Where(f => ActorClass().IsMatch(f.Text))
            .ToList();
        Assert.True(actors.Count >= 4, $"expected the node, checkpoint writer and async SGD actors, found {actors.Count}");
        foreach (var (file, text) in actors)
        {
            var hit = Forbidden().Match(text);
            Assert.False(hit.Success, $"{Path.GetRelativePath(root, file)} uses '{hit.Value}' in an actor that runs under the simulator");
        }
    }
}
