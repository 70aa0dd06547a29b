namespace Decentral.Nodes.Models;

/// <summary>
/// What every node's model instance must agree with, taken once per run from a reference instance:
/// the model's name and type (for errors), its dimension and x₁.
/// </summary>
public sealed record ModelStart(string ModelName, string ModelType, int Dimension, double[] Parameters);
