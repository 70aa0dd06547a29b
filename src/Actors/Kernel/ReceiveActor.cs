namespace Decentral.Actors;

/// <summary>
/// Akka.NET's ReceiveActor: handlers registered with <c>Receive&lt;T&gt;</c> in the constructor (or in a
/// <see cref="Become(Action)"/> block) are tried in registration order; the first that matches wins.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private List<IHandler> _configuring = [];
    private IHandler[] _current = [];
    private bool _dirty;
    private readonly Stack<IHandler[]> _stack = new();

    protected void Receive<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new Handler<T>(handler, null));
    }

    protected void Receive<T>(Predicate<T> shouldHandle, Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(shouldHandle);
        ArgumentNullException.ThrowIfNull(handler);
        Add(new Handler<T>(handler, shouldHandle));
    }

    protected void Receive<T>(Action<T> handler, Predicate<T> shouldHandle) => Receive(shouldHandle, handler);

    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new Handler<object>(handler, null));
    }

    /// <summary>Replaces all handlers with those <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure)
    {
        _stack.Clear();
        _current = Configure(configure);
    }

    /// <summary>Like Become, remembering the current handlers for <see cref="UnbecomeStacked"/>.</summary>
    protected void BecomeStacked(Action configure)
    {
        Freeze();
        _stack.Push(_current);
        _current = Configure(configure);
    }

    protected void UnbecomeStacked()
    {
        if (_stack.Count > 0)
        {
            _current = _stack.Pop();
        }
    }

    protected internal sealed override bool Receive(object message)
    {
        Freeze();
        var handlers = _current;
        for (var i = 0; i < handlers.Length; i++)
        {
            if (handlers[i].TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }

    private IHandler[] Configure(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Freeze();
        var saved = _configuring;
        _configuring = [];
        try
        {
            configure();
            return [.. _configuring];
        }
        finally
        {
            _configuring = saved;
        }
    }

    private void Add(IHandler handler)
    {
        _configuring.Add(handler);
        _dirty = true;
    }

    // Constructor registrations become the initial behaviour on the first message.
    private void Freeze()
    {
        if (_dirty && _stack.Count == 0 && _configuring.Count > 0)
        {
            _current = [.. _current, .. _configuring];
            _configuring.Clear();
        }

        _dirty = false;
    }

    private interface IHandler
    {
        bool TryHandle(object message);
    }

    private sealed class Handler<T>(Action<T> action, Predicate<T>? predicate) : IHandler
    {
        public bool TryHandle(object message)
        {
            if (message is T typed && (predicate is null || predicate(typed)))
            {
                action(typed);
                return true;
            }

            return false;
        }
    }
}

/// <summary>An actor given as a function (handy in tests and for small routers).</summary>
public sealed class FuncActor(Func<IActorContext, object, bool> receive) : ActorBase
{
    protected internal override bool Receive(object message) => receive(Context, message);
}
