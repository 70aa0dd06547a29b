namespace Decentral.Actors;

/// <summary>A user message with its sender, as it sits in a mailbox.</summary>
internal readonly record struct Envelope(object Message, IActorRef? Sender);
