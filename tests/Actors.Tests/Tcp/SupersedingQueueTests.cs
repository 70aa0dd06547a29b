namespace Decentral.Actors.Tests.Tcp;

/// <summary>The send queue's policy on its own: FIFO, newer-of-same-key supersedes in place, oldest dropped when full.</summary>
public sealed class SupersedingQueueTests
{
    private static readonly Address From = new("a", "127.0.0.1", 1);
    private static readonly ActorPath N1 = new(new Address("b", "127.0.0.1", 2), ["user", "n1"]);
    private static readonly ActorPath N2 = new(new Address("b", "127.0.0.1", 2), ["user", "n2"]);

    private static TransportEnvelope To(ActorPath recipient, object message) => new(From, recipient, null, message);

    private static List<object> Drain(SupersedingQueue queue)
    {
        var result = new List<object>();
        while (queue.TryDequeue(out var e))
        {
            result.Add(e.Message);
        }

        return result;
    }

    [Fact]
    public void Plain_messages_leave_in_arrival_order()
    {
        var queue = new SupersedingQueue(10);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(EnqueueOutcome.Queued, queue.Enqueue(To(N1, i)));
        }

        Assert.Equal([0, 1, 2, 3, 4], Drain(queue));
    }

    [Fact]
    public void A_newer_message_of_the_same_key_replaces_the_queued_one_in_its_place()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 5, "old")));
        queue.Enqueue(To(N1, "between"));

        Assert.Equal(EnqueueOutcome.Replaced, queue.Enqueue(To(N1, new Versioned(1, 6, "new"))));

        Assert.Equal([new Versioned(1, 6, "new"), "between"], Drain(queue));
    }

    [Fact]
    public void An_older_message_than_the_queued_one_is_queued_behind_it_not_dropped()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 6, "new")));

        Assert.Equal(EnqueueOutcome.Queued, queue.Enqueue(To(N1, new Versioned(1, 5, "help for a laggard"))));

        Assert.Equal([new Versioned(1, 6, "new"), new Versioned(1, 5, "help for a laggard")], Drain(queue));
    }

    [Fact]
    public void While_the_link_is_up_a_burst_goes_out_whole()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 5, "the laggard's stage")), supersede: false);
        queue.Enqueue(To(N1, new Versioned(1, 9, "newest")), supersede: false);

        Assert.Equal(["the laggard's stage", "newest"], Drain(queue).Cast<Versioned>().Select(v => v.Text));
    }

    [Fact]
    public void Once_the_link_is_down_only_the_newest_queued_message_is_replaced()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 5, "older")), supersede: false);
        queue.Enqueue(To(N1, new Versioned(1, 9, "newest")), supersede: false);

        Assert.Equal(EnqueueOutcome.Replaced, queue.Enqueue(To(N1, new Versioned(1, 10, "newer still"))));

        Assert.Equal(["older", "newer still"], Drain(queue).Cast<Versioned>().Select(v => v.Text));
    }

    [Fact]
    public void Different_keys_and_different_recipients_do_not_compete()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 1, "k1 to n1")));
        queue.Enqueue(To(N1, new Versioned(2, 1, "k2 to n1")));
        queue.Enqueue(To(N2, new Versioned(1, 2, "k1 to n2")));

        Assert.Equal(3, queue.Count);
        Assert.Equal(["k1 to n1", "k2 to n1", "k1 to n2"], Drain(queue).Cast<Versioned>().Select(v => v.Text));
    }

    [Fact]
    public void Once_dequeued_a_message_is_no_longer_superseded_by_the_next()
    {
        var queue = new SupersedingQueue(10);
        queue.Enqueue(To(N1, new Versioned(1, 1, "first")));
        Assert.True(queue.TryDequeue(out _));

        Assert.Equal(EnqueueOutcome.Queued, queue.Enqueue(To(N1, new Versioned(1, 2, "second"))));
        Assert.Equal([new Versioned(1, 2, "second")], Drain(queue));
    }

    [Fact]
    public void A_full_queue_drops_its_oldest_message()
    {
        var queue = new SupersedingQueue(3);
        queue.Enqueue(To(N1, 1));
        queue.Enqueue(To(N1, new Versioned(9, 1, "keyed")));
        queue.Enqueue(To(N1, 3));

        Assert.Equal(EnqueueOutcome.QueuedDroppedOldest, queue.Enqueue(To(N1, 4)));
        Assert.Equal(EnqueueOutcome.QueuedDroppedOldest, queue.Enqueue(To(N1, 5)));

        // The keyed message was dropped, so a new one of its key queues afresh instead of replacing.
        Assert.Equal(EnqueueOutcome.QueuedDroppedOldest, queue.Enqueue(To(N1, new Versioned(9, 2, "keyed again"))));
        Assert.Equal([4, 5, new Versioned(9, 2, "keyed again")], Drain(queue));
    }

    [Fact]
    public void Seeded_random_traffic_matches_a_model_of_the_policy()
    {
        const int seed = 20240611;
        var random = new Random(seed);
        var queue = new SupersedingQueue(8);
        var model = new List<Entry>();
        for (var step = 0; step < 5000; step++)
        {
            if (random.Next(3) == 0)
            {
                var got = queue.TryDequeue(out var e);
                Assert.True(got == model.Count > 0, $"seed {seed}, step {step}: dequeue disagreed with the model");
                if (got)
                {
                    Assert.True(Equals(model[0].Message, e.Message) && model[0].Recipient == e.Recipient, $"seed {seed}, step {step}");
                    model.RemoveAt(0);
                }

                continue;
            }

            var recipient = random.Next(2) == 0 ? N1 : N2;
            object message = random.Next(2) == 0 ? step : new Versioned(random.Next(3), random.Next(20), $"s{step}");
            var supersede = random.Next(2) == 0;
            queue.Enqueue(To(recipient, message), supersede);
            ApplyToModel(model, recipient, message, supersede, 8);
            Assert.Equal(model.Count, queue.Count);
        }
    }

    private sealed class Entry(ActorPath recipient, object message, bool newest)
    {
        public ActorPath Recipient { get; } = recipient;

        public object Message { get; set; } = message;

        /// <summary>The newest queued message of its key (the only one a later message may replace).</summary>
        public bool Newest { get; set; } = newest;
    }

    /// <summary>The policy written plainly over a list of entries.</summary>
    private static void ApplyToModel(List<Entry> model, ActorPath recipient, object message, bool supersede, int capacity)
    {
        var newest = true;
        if (message is Versioned v)
        {
            var queued = model.Find(x => x.Newest && x.Recipient == recipient && x.Message is Versioned q && q.Key == v.Key);
            if (queued is not null)
            {
                if (v.Order >= ((Versioned)queued.Message).Order)
                {
                    if (supersede)
                    {
                        queued.Message = message;
                        return;
                    }

                    queued.Newest = false;
                }
                else
                {
                    newest = false;
                }
            }
        }
        else
        {
            newest = false;
        }

        model.Add(new Entry(recipient, message, newest));
        if (model.Count > capacity)
        {
            model.RemoveAt(0);
        }
    }
}
