using System.Buffers;

namespace Decentral.Actors;

/// <summary>
/// The payload of a data frame: <c>flags:u8 | recipient elements | [sender] | message</c>. The recipient's
/// address is the one the connection was opened to and the sender's normally the dialer's, so only path
/// elements travel ("user/n1"); a sender at another address travels as its full path.
/// </summary>
internal static class EnvelopeFormat
{
    private const byte SenderRelative = 1;
    private const byte SenderAbsolute = 2;

    public static void Write(IBufferWriter<byte> output, TransportEnvelope envelope, IMessageSerializer serializer)
    {
        var flags = envelope.Sender is null ? (byte)0 : envelope.Sender.Address == envelope.From ? SenderRelative : SenderAbsolute;
        PayloadWriter.WriteByte(output, flags);
        PayloadWriter.WriteString(output, string.Join('/', envelope.Recipient.Elements));
        if (flags == SenderRelative)
        {
            PayloadWriter.WriteString(output, string.Join('/', envelope.Sender!.Elements));
        }
        else if (flags == SenderAbsolute)
        {
            PayloadWriter.WriteString(output, envelope.Sender!.ToString());
        }

        serializer.Serialize(envelope.Message, output);
    }

    /// <summary>Decodes a data payload; null with a reason when it is malformed or the message does not decode.</summary>
    public static TransportEnvelope? Read(
        ReadOnlySpan<byte> payload, Address local, Address peer, IMessageSerializer serializer, PathCache paths, out string? error)
    {
        error = null;
        var r = new PayloadReader(payload);
        if (!r.TryReadByte(out var flags) || flags > SenderAbsolute || !r.TryReadString(out var recipientText))
        {
            error = "envelope header truncated or unknown flags";
            return null;
        }

        var recipient = paths.Get(local, recipientText);
        if (recipient is null)
        {
            error = $"recipient path '{recipientText}' is not valid";
            return null;
        }

        ActorPath? sender = null;
        if (flags != 0)
        {
            if (!r.TryReadString(out var senderText))
            {
                error = "sender path truncated";
                return null;
            }

            sender = flags == SenderRelative ? paths.Get(peer, senderText) : paths.GetAbsolute(senderText);
            if (sender is null)
            {
                error = $"sender path '{senderText}' is not valid";
                return null;
            }
        }

        object message;
        try
        {
            message = serializer.Deserialize(r.Rest);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            error = e.Message;
            return null;
        }

        return new TransportEnvelope(peer, recipient, sender, message);
    }
}

/// <summary>Paths of one connection's few actors, parsed once (bounded: a peer cannot grow it without limit).</summary>
internal sealed class PathCache
{
    private const int MaxEntries = 256;
    private readonly Dictionary<(Address, string), ActorPath> _paths = [];

    public ActorPath? Get(Address address, string elements)
    {
        if (_paths.TryGetValue((address, elements), out var path))
        {
            return path;
        }

        try
        {
            path = new ActorPath(address, elements.Length == 0 ? [] : elements.Split('/'));
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (_paths.Count < MaxEntries)
        {
            _paths[(address, elements)] = path;
        }

        return path;
    }

    public ActorPath? GetAbsolute(string text)
    {
        try
        {
            return ActorPath.Parse(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
