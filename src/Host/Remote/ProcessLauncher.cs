using System.Diagnostics;
using System.Globalization;

namespace Decentral.Host.Remote;

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

    /// <summary>The program and leading arguments that run this CLI again: the apphost, or dotnet plus decentral.dll.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var assembly = typeof(Cli).Assembly.Location;
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
}
