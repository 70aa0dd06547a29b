using Decentral.Simulation.Dst.Invariants;
using Decentral.Nodes.Protocol;

namespace Decentral.Simulation.Tests.Dst;

public sealed class NodeFailureInvariantTests
{
    [Fact]
    public void A_start_nobody_ordered_is_a_failed_node()
    {
        var failures = new NodeFailureInvariant(2);
        Assert.Null(failures.OnNodeStarted(new NodeStarted(0, 0, new Stage(1, 0), false)));
        Assert.Null(failures.OnNodeStarted(new NodeStarted(1, 0, new Stage(1, 0), false)));
        failures.ExpectStart(1);
        Assert.Null(failures.OnNodeStarted(new NodeStarted(1, 1, new Stage(6, 0), true)));
        Assert.Contains("nothing crashed it", failures.OnNodeStarted(new NodeStarted(0, 1, new Stage(4, 0), true)));
    }
}
