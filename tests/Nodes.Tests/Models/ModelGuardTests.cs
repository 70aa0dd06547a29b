using Decentral.Nodes.Data;
using Decentral.Nodes.Models;
using Decentral.Nodes.Objectives;
using Decentral.Nodes.Protocol;
using Decentral.Nodes.Training;

namespace Decentral.Nodes.Tests.Models;

/// <summary>
/// The boundary where a model's output enters the protocol: each way a model can break its contract is a
/// <see cref="ModelFailureException"/> naming the model's type, the node and the iteration.
/// </summary>
public sealed class ModelGuardTests
{
    private static readonly Dataset Data = SyntheticData.Logistic(60, 6, 3).Data;

    [Theory]
    [InlineData(ModelFault.WritesNaN, "the gradient has a non-finite value at coordinate 1 (NaN)")]
    [InlineData(ModelFault.WritesInfinity, "the gradient has a non-finite value at coordinate 2 (Infinity)")]
    [InlineData(ModelFault.ShortGradient, "the gradient has only its first 3 of 6 coordinates written")]
    [InlineData(ModelFault.Throws, "InvalidOperationException thrown: bug in the user's model")]
    [InlineData(ModelFault.ChangesDimension, "its Dimension changed from 6 to 7")]
    [InlineData(ModelFault.NonFiniteLoss, "the loss is NaN")]
    public void A_broken_gradient_names_the_model_type_the_node_and_the_iteration(ModelFault fault, string problem)
    {
        var guard = new ModelGuard(new FaultyModel(6, fault, fromCall: 3), "c2/n1");
        var x = new double[6];
        var gradient = new double[6];
        int[] batch = [0, 1, 2, 3];
        guard.LossAndGradient(1, x, Data, batch, gradient);
        guard.LossAndGradient(2, x, Data, batch, gradient);

        var e = Assert.Throws<ModelFailureException>(() => guard.LossAndGradient(3, x, Data, batch, gradient));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"model 'faulty' ({typeof(FaultyModel).FullName}) on node c2/n1 at iteration 3: ", e.Message, StringComparison.Ordinal);
        Assert.Equal((3, "c2/n1", typeof(FaultyModel).FullName), (e.Iteration, e.Node, e.ModelType));
    }

    [Fact]
    public void A_sound_model_passes_unchanged_and_writes_every_coordinate()
    {
        var model = new LogisticL2(6, 0.01);
        var guard = new ModelGuard(model, "c1/n1");
        var x = new double[] { 0.1, -0.2, 0.3, 0, 0.5, -1 };
        int[] batch = [0, 5, 9];
        var direct = new double[6];
        var guarded = new double[6];
        var expected = model.LossAndGradient(x, Data, batch, direct);

        var loss = guard.LossAndGradient(1, x, Data, batch, guarded);

        Assert.Equal(expected, loss);
        Assert.Equal(direct, guarded);
    }

    [Fact]
    public void A_node_whose_instance_starts_elsewhere_fails_at_start()
    {
        var instances = 0;
        var spec = new TrainingSpec
        {
            Data = Data,
            // The second instance (the first node's, after the reference) starts at 1 instead of 0.
            Model = d => new FaultyModel(d.Dimension, ModelFault.None, start: Interlocked.Increment(ref instances) == 2 ? 1 : 0),
        };
        var reference = spec.ReferenceStart();

        var e = Assert.Throws<ModelFailureException>(() => spec.CreateWorkload(0, 3, reference, "c1/n1"));

        Assert.Null(e.Iteration);
        Assert.Contains("on node c1/n1 at start: its initial parameters differ from the run's x₁ at coordinate 0 (1 vs 0)", e.Message, StringComparison.Ordinal);
        Assert.IsType<SgdWorkload>(spec.CreateWorkload(1, 3, reference, "c1/n2")); // the third instance starts at 0 again
    }

    [Fact]
    public void A_node_whose_instance_has_another_dimension_or_cannot_be_made_fails_at_start()
    {
        var instances = 0;
        var spec = new TrainingSpec
        {
            Data = Data,
            Model = d => Interlocked.Increment(ref instances) switch
            {
                1 => new FaultyModel(d.Dimension, ModelFault.None),
                2 => new FaultyModel(d.Dimension + 2, ModelFault.None),
                _ => throw new FileNotFoundException("weights.bin"),
            },
        };
        var reference = spec.ReferenceStart();

        var wrongSize = Assert.Throws<ModelFailureException>(() => spec.CreateWorkload(0, 3, reference, "c1/n1"));
        var factory = Assert.Throws<ModelFailureException>(() => spec.CreateWorkload(1, 3, reference, "c1/n2"));

        Assert.Contains("on node c1/n1 at start: it has 8 parameters, the run's model 6", wrongSize.Message, StringComparison.Ordinal);
        Assert.Contains("on node c1/n2 at start: the model factory threw FileNotFoundException: weights.bin", factory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_initial_parameters_are_refused_for_the_whole_run()
    {
        var spec = new TrainingSpec { Data = Data, Model = d => new FaultyModel(d.Dimension, ModelFault.None, start: double.NaN) };

        var e = Assert.Throws<ModelFailureException>(spec.ReferenceStart);

        Assert.Contains("on node reference at start: the initial parameters is NaN in all 6 coordinates", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_protocol_stops_a_node_whose_model_fails_and_it_sends_nothing_more()
    {
        var spec = new TrainingSpec { Data = Data, Model = d => new FaultyModel(d.Dimension, ModelFault.WritesNaN, fromCall: 1), BatchSize = 8 };
        var options = new ProtocolOptions { Layout = Agreement.ClusterLayout.Uniform(1, 3), Iterations = 5 };
        var protocol = new DecentralizedSgdProtocol(options, 1, spec.CreateWorkload(1, 3, spec.ReferenceStart(), "c1/n2"), new ClusterMemory(3));
        protocol.Start();

        var effects = protocol.Handle(new ComputeDone(1)).ToList();

        var failed = Assert.Single(effects.OfType<Observe>().Select(o => o.Event).OfType<ModelFailed>());
        Assert.Equal((1, 1, "faulty"), (failed.Node, failed.Iteration, failed.Model));
        Assert.Contains("on node c1/n2 at iteration 1: the gradient has a non-finite value at coordinate 1", failed.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(effects, e => e is Broadcast or SendTo);
        Assert.True(protocol.HasFailed);
        Assert.Empty(protocol.Handle(new ModelMessage(1, 0, new double[6])));
        Assert.Empty(protocol.Handle(ResendTick.Instance));
    }
}
