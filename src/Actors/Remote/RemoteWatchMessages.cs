namespace Decentral.Actors;

/// <summary>Death watch across systems: asks the watchee's system to (un)register a remote watcher.</summary>
public sealed record RemoteWatch(ActorPath Watchee, ActorPath Watcher, bool Watch);

/// <summary>Tells a remote watcher that <paramref name="Subject"/> stopped or crashed.</summary>
public sealed record RemoteDeathNotification(ActorPath Subject);
