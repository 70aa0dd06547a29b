using Decentral.Nodes.Data;

namespace Decentral.Nodes.Models;

/// <summary>
/// Optional beside <see cref="IModel"/>: a model that can bound the smoothness of its objective. What
/// needs L — the paper's step-size bound η ≤ 1/(2Ld(⌊m/2⌋+1)) (<c>schedule = paper-bound</c>), the
/// spread experiment — asks for this interface and says so when a model does not implement it.
/// </summary>
public interface ISmoothModel
{
    /// <summary>
    /// An upper bound on the Lipschitz constant L of the gradient of the mean loss over
    /// <paramref name="data"/> (plus regulariser).
    /// </summary>
    double SmoothnessEstimate(Dataset data);
}
