using Decentral.Agreement;

namespace Decentral.Nodes.Network;

/// <summary>A distribution of extra one-way delay on a link, sampled from the fault layer's seeded generator.</summary>
public abstract class DelayDistribution
{
    public abstract TimeSpan Sample(SeededRandom random);

    public static DelayDistribution Constant(TimeSpan delay) => new ConstantDelay(delay);

    public static DelayDistribution Uniform(TimeSpan min, TimeSpan max) => new UniformDelay(min, max);

    /// <summary>Exponential with the given mean, cut at <paramref name="max"/> (default 20 × mean) so delays stay bounded.</summary>
    public static DelayDistribution Exponential(TimeSpan mean, TimeSpan? max = null) => new ExponentialDelay(mean, max ?? mean * 20);

    private sealed class ConstantDelay : DelayDistribution
    {
        private readonly TimeSpan _delay;

        public ConstantDelay(TimeSpan delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
            _delay = delay;
        }

        public override TimeSpan Sample(SeededRandom random) => _delay;

        public override string ToString() => $"constant {_delay}";
    }

    private sealed class UniformDelay : DelayDistribution
    {
        private readonly TimeSpan _min;
        private readonly TimeSpan _max;

        public UniformDelay(TimeSpan min, TimeSpan max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
            _min = min;
            _max = max;
        }

        public override TimeSpan Sample(SeededRandom random) => _min + ((_max - _min) * random.NextDouble());

        public override string ToString() => $"uniform [{_min}, {_max}]";
    }

    private sealed class ExponentialDelay : DelayDistribution
    {
        private readonly TimeSpan _mean;
        private readonly TimeSpan _max;

        public ExponentialDelay(TimeSpan mean, TimeSpan max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(mean, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfLessThan(max, mean);
            _mean = mean;
            _max = max;
        }

        public override TimeSpan Sample(SeededRandom random)
        {
            var delay = _mean * -Math.Log(1.0 - random.NextDouble());
            return delay > _max ? _max : delay;
        }

        public override string ToString() => $"exponential mean {_mean} max {_max}";
    }
}
