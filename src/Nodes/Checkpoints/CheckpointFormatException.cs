namespace Decentral.Nodes.Checkpoints;

/// <summary>A checkpoint record (or store) that cannot be read: torn, corrupt, or of another format version.</summary>
public sealed class CheckpointFormatException : IOException
{
    public CheckpointFormatException(string message)
        : base(message)
    {
    }

    public CheckpointFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
