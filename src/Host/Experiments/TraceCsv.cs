using System.Globalization;

namespace Decentral.Host.Experiments;

/// <summary>
/// trace.csv: one row per trace sample of every run of the grid —
/// <c>method,step_size,time,step,grad_norm,f,delay</c> (time in model units; grad_norm = ‖∇f(x)‖;
/// delay = τ of the gradient applied in that step).
/// </summary>
public static class TraceCsv
{
    public const string Header = "method,step_size,time,step,grad_norm,f,delay";

    public static void Write(AsgdExperimentResult result, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Header);
        foreach (var method in result.Methods)
        {
            var label = Quote(method.Variant.Label);
            foreach (var run in method.Runs)
            {
                var eta = Num(run.StepSize);
                foreach (var s in run.Result.Samples)
                {
                    writer.Write(label);
                    writer.Write(',');
                    writer.Write(eta);
                    writer.Write(',');
                    writer.Write(Num(s.Time));
                    writer.Write(',');
                    writer.Write(s.Step.ToString(CultureInfo.InvariantCulture));
                    writer.Write(',');
                    writer.Write(Num(s.GradientNorm));
                    writer.Write(',');
                    writer.Write(Num(s.Value));
                    writer.Write(',');
                    writer.WriteLine(s.Delay.ToString(CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180: quote fields holding a comma, quote or line break.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
