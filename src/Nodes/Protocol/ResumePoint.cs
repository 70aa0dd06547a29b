namespace Decentral.Nodes.Protocol;

/// <summary>Where a restarted node resumes: the checkpointed iteration, model and incarnation.</summary>
public sealed record ResumePoint(int Incarnation, int Iteration, double[] Model);
