using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Decentral.Hocon.Tests;

/// <summary>
/// Seeded random trees written as HOCON and as JSON must parse back to the same tree. The trees are
/// built as JSON text independently of the renderers, with keys and strings chosen to stress quoting.
/// </summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    private const string Awkward = "a.b c\"d\\e$f{g}h[i]j:k=l,m+n#o`p^q?r!s@t*u&v/w\tx\ny\u00e9z\u2028 include true 0 -";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_trees_survive_hocon_and_json_rendering(int seed)
    {
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var json = RandomObject(random, depth: 0);
        var expected = Normalize(json);

        var fromJson = H.Parse(json);
        Assert.Equal(expected, Normalize(fromJson.ToJson()));
        Assert.Equal(expected, Normalize(H.Parse(fromJson.ToHocon()).ToJson()));
        Assert.Equal(expected, Normalize(H.Parse(fromJson.ToHocon(withOrigins: true)).ToJson()));
    }

    private static string Normalize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }

    private static string RandomObject(Random random, int depth)
    {
        var sb = new StringBuilder("{");
        var count = random.Next(depth == 0 ? 3 : 0, 6);
        var used = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var key = RandomString(random);
            if (!used.Add(key))
            {
                continue;
            }

            if (sb.Length > 1)
            {
                sb.Append(',');
            }

            sb.Append(JsonSerializer.Serialize(key)).Append(':').Append(RandomValue(random, depth + 1));
        }

        return sb.Append('}').ToString();
    }

    private static string RandomValue(Random random, int depth)
    {
        var kind = random.Next(depth > 3 ? 5 : 7);
        return kind switch
        {
            0 => JsonSerializer.Serialize(RandomString(random)),
            1 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
            2 => (random.NextDouble() * 1e6 - 5e5).ToString("R", CultureInfo.InvariantCulture),
            3 => random.Next(2) == 0 ? "true" : "false",
            4 => "null",
            5 => "[" + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth + 1))) + "]",
            _ => RandomObject(random, depth),
        };
    }

    private static string RandomString(Random random)
    {
        var length = random.Next(0, 8);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(3) == 0 ? (char)random.Next('a', 'z' + 1) : Awkward[random.Next(Awkward.Length)];
        }

        return new string(chars);
    }
}
