using Decentral.Nodes.Data;

namespace Decentral.Nodes.Models;

/// <summary>
/// Makes the model a run trains: called once per node (and once per evaluator: the run's loss and
/// accuracy reports, the asynchronous server's trace) with the whole training set, whose shape
/// (<see cref="Dataset.Dimension"/>, the labels) the model may need. Return a new instance each time —
/// nodes run on different threads, and an <see cref="IModel"/> is never called from two at once — and
/// make every instance start from the same x₁ for the same seed (checked when a node starts).
/// </summary>
/// <example><code>new TrainingSpec { Data = data, Model = d => new MyModel(d.Dimension) }</code></example>
public delegate IModel ModelFactory(Dataset trainingData);
