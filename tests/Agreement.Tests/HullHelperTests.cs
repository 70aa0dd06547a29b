using Decentral.Agreement.Tests.Support;

namespace Decentral.Agreement.Tests;

/// <summary>The hull helper must itself tell inside from outside, or the validity tests prove nothing.</summary>
public sealed class HullHelperTests
{
    [Fact]
    public void Distance_to_a_segment_from_outside_is_the_perpendicular()
    {
        double[][] segment = [[0, 0], [1, 0]];
        Assert.Equal(2, Hull.Distance(segment, [0.5, 2]), 9);
        Assert.Equal(Math.Sqrt(2), Hull.Distance(segment, [2, 1]), 9);
    }

    [Fact]
    public void Points_inside_a_simplex_have_distance_zero_and_outside_points_do_not()
    {
        var rng = new Random(8);
        for (var t = 0; t < 100; t++)
        {
            var d = 1 + rng.Next(30);
            var pts = Vectors.Random(rng, 2 + rng.Next(12), d);
            var w = pts.Select(_ => rng.NextDouble()).ToArray();
            var sum = w.Sum();
            var inside = Naive.WeightedSum(pts, w.Select(x => x / sum).ToArray());
            Assert.True(Hull.Distance(pts, inside) < 1e-9, $"trial {t}: inside point");

            // Beyond the supporting hyperplane {u·x = max_i u·x_i} by t·|u|: at least that far from the hull.
            var u = Vectors.Random(rng, 1, d)[0];
            var top = pts.OrderByDescending(p => p.Zip(u, (a, b) => a * b).Sum()).First();
            var t01 = 0.1 + rng.NextDouble();
            var outside = top.Zip(u, (a, b) => a + (t01 * b)).ToArray();
            var margin = t01 * Math.Sqrt(u.Sum(x => x * x));
            var far = outside;
            var expectedAtLeast = margin * (1 - 1e-9);
            Assert.True(Hull.Distance(pts, far) >= expectedAtLeast, $"trial {t}: outside point");
        }
    }

    [Fact]
    public void A_triangle_excludes_its_reflected_vertex()
    {
        double[][] triangle = [[0, 0], [2, 0], [0, 2]];
        Assert.True(Hull.Distance(triangle, [1.5, 1.5]) > 0.7); // true distance √2/2 ≈ 0.707
        Assert.True(Hull.Distance(triangle, [0.5, 0.5]) < 1e-12);
        Assert.True(Hull.Distance(triangle, [1, 1]) < 1e-9); // on an edge
    }
}
