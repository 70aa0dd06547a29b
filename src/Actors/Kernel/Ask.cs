namespace Decentral.Actors;

/// <summary>Request–response from outside an actor (hosts, CLIs, tests): Akka's Ask.</summary>
public static class AskExtensions
{
    private static long s_counter;

    /// <summary>
    /// Sends <paramref name="message"/> with a temporary actor as the sender and completes with its first
    /// reply, or fails with <see cref="TimeoutException"/> after <paramref name="timeout"/> on the system's
    /// clock (virtual under a simulation: run the simulation until the task completes). A reply of another
    /// type fails the task with <see cref="InvalidCastException"/>.
    /// </summary>
    public static Task<T> Ask<T>(this IActorRef recipient, object message, TimeSpan timeout, ActorSystem? system = null)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        system ??= recipient.Unwrap() switch
        {
            LocalActorRef local => local.System,
            RemoteActorRef remote => remote.Owner,
            _ => throw new ArgumentException($"Pass the system to ask {recipient.Path} from.", nameof(system)),
        };

        var promise = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = "$ask-" + Interlocked.Increment(ref s_counter).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        var holder = new TimerHolder();
        var asker = system.SystemActorOf(Props.Create(() => new PromiseActor<T>(promise, holder)), name);

        // Disposed by the promise actor on its own thread, so under a simulation no stale timer event remains.
        holder.Timer = system.Time.CreateTimer(
            static state =>
            {
                var (p, a, s, t) = ((TaskCompletionSource<T>, IActorRef, ActorSystem, TimeSpan))state!;
                if (p.TrySetException(new TimeoutException($"No reply from the asked actor within {t}.")))
                {
                    s.Stop(a);
                }
            },
            (promise, asker, system, timeout),
            timeout,
            Timeout.InfiniteTimeSpan);
        recipient.Tell(message, asker);
        return promise.Task;
    }

    private sealed class TimerHolder
    {
        public ITimer? Timer { get; set; }
    }

    private sealed class PromiseActor<T>(TaskCompletionSource<T> promise, TimerHolder timer) : ActorBase
    {
        protected internal override bool Receive(object message)
        {
            timer.Timer?.Dispose();
            if (message is T reply)
            {
                promise.TrySetResult(reply);
            }
            else
            {
                promise.TrySetException(new InvalidCastException($"Expected a {typeof(T).Name} reply but got {message.GetType().Name}."));
            }

            Context.Stop(Self);
            return true;
        }
    }
}
