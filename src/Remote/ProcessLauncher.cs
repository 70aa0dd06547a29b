using System.Diagnostics;
using System.Globalization;

namespace Decentral.Remote;

/// <summary>
/// Starts `decentral node` for one cluster as a separate OS process (the same decentral.dll, through
/// the dotnet host that runs this one). The child writes its logs to a file, so it may outlive the
/// launcher (`fault restart`) without writing to a console that is gone.
/// </summary>
internal static class ProcessLauncher
{
    public static Process StartNode(string? configFile, string cluster, IReadOnlyList<string> overrides, string logFile, bool untilShutdown, int? parentPid)
    {
        var (program, prefix) = Self();
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        foreach (var argument in prefix)
        {
            start.ArgumentList.Add(argument);
        }

        ApplyGcEnvironment(start);
        start.ArgumentList.Add("node");
        if (configFile is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(Path.GetFullPath(configFile));
        }

        start.ArgumentList.Add("--cluster");
        start.ArgumentList.Add(cluster);
        foreach (var assignment in overrides)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(assignment);
        }

        start.ArgumentList.Add("--log");
        start.ArgumentList.Add(logFile);
        if (untilShutdown)
        {
            start.ArgumentList.Add("--until-shutdown");
        }

        if (parentPid is { } pid)
        {
            start.ArgumentList.Add("--parent");
            start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program} for cluster {cluster}.");
    }

    /// <summary>
    /// GC settings of a node process that .NET reads from the environment only (a runtimeconfig.json knob
    /// for them is ignored; the others ship in decentral.runtimeconfig.json, see Decentral.Host.csproj),
    /// each unless the caller's environment sets it already.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> GcEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // A 128 MB gen0 budget: a few 8 MB models per message hop no longer trigger a gen0 GC each
        // (measured: about 3× fewer ms per iteration at d = 10⁵ on top of the runtimeconfig settings).
        ["DOTNET_GCgen0size"] = "0x8000000",
    };

    /// <summary>Sets <see cref="GcEnvironment"/> on <paramref name="start"/> where the environment leaves it unset.</summary>
    public static void ApplyGcEnvironment(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var (key, value) in GcEnvironment)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(key)))
            {
                start.Environment[key] = value;
            }
        }
    }

    /// <summary>A start of this CLI with <paramref name="arguments"/> (stdout redirected), not yet started.</summary>
    public static ProcessStartInfo SelfStart(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (program, prefix) = Self();
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = Directory.GetCurrentDirectory() };
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>The program and leading arguments that run this CLI again: the apphost, or dotnet plus decentral.dll.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var assembly = CliAssembly();
        var current = Environment.ProcessPath;
        if (current is not null && string.Equals(Path.GetFileNameWithoutExtension(current), "decentral", StringComparison.Ordinal))
        {
            return (current, []);
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
        {
            dotnet = current is not null && string.Equals(Path.GetFileNameWithoutExtension(current), "dotnet", StringComparison.Ordinal) ? current : "dotnet";
        }

        return (dotnet, [assembly]);
    }

    /// <summary>
    /// decentral.dll: the entry assembly when this process is the CLI, otherwise the copy beside this
    /// library (a test project that references the CLI has it in its output folder).
    /// </summary>
    private static string CliAssembly()
    {
        var entry = System.Reflection.Assembly.GetEntryAssembly();
        if (entry is not null && string.Equals(entry.GetName().Name, "decentral", StringComparison.Ordinal))
        {
            return entry.Location;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "decentral.dll");
        return File.Exists(beside)
            ? beside
            : throw new InvalidOperationException($"decentral.dll was not found in {AppContext.BaseDirectory}: node processes are started from the decentral CLI.");
    }
}
