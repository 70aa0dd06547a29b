namespace Decentral.Host.Tests.Experiments;

/// <summary>A temporary directory for configuration files and outputs, plus a CLI runner capturing stdout/stderr.</summary>
internal sealed class ExperimentFixture : IDisposable
{
    /// <summary>A tiny, fast problem: synthetic logistic data, 4 workers, 2 step sizes, 40 steps.</summary>
    public const string SmallProblem = """
        decentral {
          seed = 5
          model { data = "", synthetic { rows = 120, features = 6 }, objective = logistic-nonconvex, lambda = 0.1, initial = ones }
          experiment.asgd {
            methods = [minibatch, pure, random]
            step-sizes = [0.5, 0.1]
            workers = 4
            partition = sharded
            compute-time { model = normal, scale = 1, speeds = linear }
            budget.steps = 40
            target = 0.05
          }
        }
        """;

    public ExperimentFixture()
    {
        Directory = Path.Combine(Path.GetTempPath(), "decentral-asgd-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; a failed cleanup must not fail the test.
        }
    }
}
