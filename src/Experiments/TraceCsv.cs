using System.Globalization;
using Decentral.Nodes.AsyncSgd;

namespace Decentral.Experiments;

/// <summary>
/// trace.csv: one row per trace sample of every run of the grid, written as each run finishes —
/// <c>method,step_size,time,step,gradients,grad_norm,f,f_minus_fstar,delay</c> (time in model units;
/// gradients = gradients computed so far; grad_norm = ‖∇f(x)‖; f_minus_fstar = F(x) − F*, empty when the
/// objective has no exact solver; delay = τ of the gradient applied in that step).
/// </summary>
public sealed class TraceCsv
{
    public const string Header = "method,step_size,time,step,gradients,grad_norm,f,f_minus_fstar,delay";

    private readonly TextWriter _writer;
    private readonly double? _optimum;

    /// <summary>Writes the header; <see cref="Append"/> then adds each run.</summary>
    public TraceCsv(TextWriter writer, double? optimalValue)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _optimum = optimalValue;
        _writer.WriteLine(Header);
    }

    /// <summary>The rows of one run (flushed, so a long experiment's file fills as it goes).</summary>
    public void Append(string method, double stepSize, IReadOnlyList<TraceSample> samples)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(samples);
        var label = Quote(method);
        var eta = Num(stepSize);
        foreach (var s in samples)
        {
            _writer.Write(label);
            _writer.Write(',');
            _writer.Write(eta);
            _writer.Write(',');
            _writer.Write(Num(s.Time));
            _writer.Write(',');
            _writer.Write(s.Step.ToString(CultureInfo.InvariantCulture));
            _writer.Write(',');
            _writer.Write(s.Gradients.ToString(CultureInfo.InvariantCulture));
            _writer.Write(',');
            _writer.Write(Num(s.GradientNorm));
            _writer.Write(',');
            _writer.Write(Num(s.Value));
            _writer.Write(',');
            if (_optimum is { } fStar)
            {
                _writer.Write(Num(s.Value - fStar));
            }
            _writer.Write(',');
            _writer.WriteLine(s.Delay.ToString(CultureInfo.InvariantCulture));
        }
        _writer.Flush();
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: quote fields holding a comma, quote or line break.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
