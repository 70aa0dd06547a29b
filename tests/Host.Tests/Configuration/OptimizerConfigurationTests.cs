using Decentral.Configuration;
using Decentral.Nodes.Optimization.Local;

namespace Decentral.Host.Tests.Configuration;

/// <summary><c>decentral.sgd.optimizer</c> and its parameters, read into the spec; bad values named by key and position.</summary>
public sealed class OptimizerConfigurationTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private ConfiguredRun Load(string body) =>
        RunConfiguration.Load(_files.Write("run.conf", "decentral {\n  model.data = \"\"\n" + body + "\n}\n"));

    [Fact]
    public void Plain_sgd_is_the_default()
    {
        Assert.Same(LocalOptimizers.Sgd, Load("").Spec.Training.Optimizer);
    }

    [Fact]
    public void Each_optimizer_reads_its_own_parameters()
    {
        Assert.Equal(new MomentumOptimizer(0.5, nesterov: false), Load("  sgd { optimizer = momentum, momentum = 0.5 }").Spec.Training.Optimizer);
        Assert.Equal(new MomentumOptimizer(0.9, nesterov: true), Load("  sgd.optimizer = nesterov").Spec.Training.Optimizer);
        Assert.Equal(new AdamOptimizer(0.8, 0.99, 1e-6), Load("  sgd { optimizer = adam, adam { beta1 = 0.8, beta2 = 0.99, epsilon = 1e-6 } }").Spec.Training.Optimizer);
        Assert.Equal(new AdamOptimizer(), Load("  sgd { optimizer = adam, momentum = 7 }").Spec.Training.Optimizer); // momentum is not adam's
    }

    [Fact]
    public void Out_of_range_parameters_and_unknown_optimizers_name_the_key_and_the_line()
    {
        var momentum = Assert.Throws<ConfigurationException>(() => Load("  sgd {\n    optimizer = momentum\n    momentum = 1\n  }"));
        Assert.Contains("run.conf:5:", momentum.Message, StringComparison.Ordinal);
        Assert.Contains("decentral.sgd.momentum: expected a number from 0 up to (not including) 1, found 1", momentum.Message, StringComparison.Ordinal);

        var epsilon = Assert.Throws<ConfigurationException>(() => Load("  sgd { optimizer = adam, adam.epsilon = 0 }"));
        Assert.Contains("decentral.sgd.adam.epsilon", epsilon.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<ConfigurationException>(() => Load("  sgd.optimizer = rmsprop"));
        Assert.Contains("decentral.sgd.optimizer", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("adam", unknown.Message, StringComparison.Ordinal);
    }
}
