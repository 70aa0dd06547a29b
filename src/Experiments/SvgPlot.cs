using System.Globalization;
using System.Security;
using System.Text;

namespace Decentral.Experiments;

/// <summary>One line of a plot: points in data coordinates, a colour slot, whether it is dashed, and legend notes (one per text line).</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<(double X, double Y)> Points, int Color, bool Dashed = false, string? Note = null);

/// <summary>
/// A self-contained SVG line chart with a linear x-axis and a logarithmic y-axis: ticks and grid, axis
/// labels, a legend, an optional dashed horizontal target line. Non-positive y values sit on the bottom
/// edge; a series stops at its first non-finite value and at the x-axis limit; values far above the
/// starts are clipped.
/// </summary>
public static class SvgPlot
{
    public const int Width = 1040;
    public const int Height = 600;

    private const double Left = 90, Top = 56, Right = Width - 290, Bottom = Height - 70;

    /// <summary>Colour-blind friendly palette (Tableau 10).</summary>
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <param name="xLimit">Right end of the x-axis; null = the largest x of any series.</param>
    public static string Render(string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series, double? target = null, double? xLimit = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var (xMax, yLow, yHigh) = Ranges(series, target, xLimit);
        var decadeLow = Math.Floor(Math.Log10(yLow));
        var decadeHigh = Math.Ceiling(Math.Log10(yHigh));
        if (decadeHigh <= decadeLow)
        {
            decadeHigh = decadeLow + 1;
        }
        double X(double x) => Left + ((Right - Left) * x / xMax);
        double Y(double y) => Bottom - ((Bottom - Top) * (Math.Log10(y) - decadeLow) / (decadeHigh - decadeLow));

        var svg = new StringBuilder();
        Line(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Arial, sans-serif\">");
        Line(svg, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        Line(svg, $"<text x=\"{F(Width / 2.0)}\" y=\"30\" font-size=\"16\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(title)}</text>");

        // Grid and ticks: y decades (labelled) with minor ticks at 2…9; x at "nice" steps.
        var decades = (int)(decadeHigh - decadeLow);
        var labelEvery = decades > 10 ? 2 : 1;
        for (var d = 0; d <= decades; d++)
        {
            var exponent = decadeLow + d;
            var y = Y(Math.Pow(10, exponent));
            Line(svg, $"<line x1=\"{F(Left)}\" y1=\"{F(y)}\" x2=\"{F(Right)}\" y2=\"{F(y)}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>");
            Line(svg, $"<line x1=\"{F(Left - 6)}\" y1=\"{F(y)}\" x2=\"{F(Left)}\" y2=\"{F(y)}\" stroke=\"black\"/>");
            if (d % labelEvery == 0)
            {
                Line(svg, $"<text x=\"{F(Left - 10)}\" y=\"{F(y + 5)}\" font-size=\"13\" text-anchor=\"end\">{DecadeLabel(exponent)}</text>");
            }
            for (var m = 2; m <= 9 && d < decades; m++)
            {
                var ym = Y(m * Math.Pow(10, exponent));
                Line(svg, $"<line x1=\"{F(Left - 3)}\" y1=\"{F(ym)}\" x2=\"{F(Left)}\" y2=\"{F(ym)}\" stroke=\"black\"/>");
                Line(svg, $"<line x1=\"{F(Left)}\" y1=\"{F(ym)}\" x2=\"{F(Right)}\" y2=\"{F(ym)}\" stroke=\"#f0f0f0\" stroke-width=\"1\"/>");
            }
        }
        var step = NiceStep(xMax / 6);
        for (var t = 0.0; t <= xMax * (1 + 1e-9); t += step)
        {
            var x = X(t);
            Line(svg, $"<line x1=\"{F(x)}\" y1=\"{F(Top)}\" x2=\"{F(x)}\" y2=\"{F(Bottom)}\" stroke=\"#e4e4e4\" stroke-width=\"1\"/>");
            Line(svg, $"<line x1=\"{F(x)}\" y1=\"{F(Bottom)}\" x2=\"{F(x)}\" y2=\"{F(Bottom + 6)}\" stroke=\"black\"/>");
            Line(svg, $"<text x=\"{F(x)}\" y=\"{F(Bottom + 22)}\" font-size=\"13\" text-anchor=\"middle\">{TickLabel(t)}</text>");
        }
        Line(svg, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Right - Left)}\" height=\"{F(Bottom - Top)}\" fill=\"none\" stroke=\"black\"/>");
        Line(svg, $"<text x=\"{F((Left + Right) / 2)}\" y=\"{F(Height - 22)}\" font-size=\"14\" text-anchor=\"middle\">{Esc(xLabel)}</text>");
        Line(svg, $"<text x=\"22\" y=\"{F((Top + Bottom) / 2)}\" font-size=\"14\" text-anchor=\"middle\" transform=\"rotate(-90 22 {F((Top + Bottom) / 2)})\">{Esc(yLabel)}</text>");

        var floor = Math.Pow(10, decadeLow);
        var ceiling = Math.Pow(10, decadeHigh);
        foreach (var s in series)
        {
            var points = new StringBuilder();
            foreach (var (x, y) in s.Points)
            {
                if (!double.IsFinite(x) || !double.IsFinite(y) || x > xMax * (1 + 1e-12))
                {
                    break;
                }
                points.Append(F(X(Math.Max(x, 0)))).Append(',').Append(F(Y(Math.Clamp(y, floor, ceiling)))).Append(' ');
            }
            var dash = s.Dashed ? " stroke-dasharray=\"8,5\"" : "";
            Line(svg, $"<polyline fill=\"none\" stroke=\"{ColorOf(s.Color)}\" stroke-width=\"2\" stroke-linejoin=\"round\"{dash} points=\"{points.ToString().TrimEnd()}\"/>");
        }

        if (target is { } goal && goal > 0)
        {
            var y = Y(Math.Clamp(goal, yLow, yHigh));
            Line(svg, $"<line x1=\"{F(Left)}\" y1=\"{F(y)}\" x2=\"{F(Right)}\" y2=\"{F(y)}\" stroke=\"black\" stroke-width=\"1.2\" stroke-dasharray=\"2,4\"/>");
            // Left end, with a white halo, so the lines crossing it do not hide the label.
            Line(svg, $"<text x=\"{F(Left + 6)}\" y=\"{F(y - 5)}\" font-size=\"12\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">target {Esc(TickLabel(goal))}</text>");
        }

        // Legend to the right of the plot area.
        var legendY = Top + 10;
        Line(svg, $"<text x=\"{F(Right + 20)}\" y=\"{F(legendY)}\" font-size=\"13\" font-weight=\"bold\">method, best step size</text>");
        var rowY = legendY + 24;
        foreach (var entry in series)
        {
            var dash = entry.Dashed ? " stroke-dasharray=\"8,5\"" : "";
            Line(svg, $"<line x1=\"{F(Right + 20)}\" y1=\"{F(rowY - 4)}\" x2=\"{F(Right + 52)}\" y2=\"{F(rowY - 4)}\" stroke=\"{ColorOf(entry.Color)}\" stroke-width=\"3\"{dash}/>");
            Line(svg, $"<text x=\"{F(Right + 60)}\" y=\"{F(rowY)}\" font-size=\"13\">{Esc(entry.Label)}</text>");
            foreach (var note in (entry.Note ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                rowY += 15;
                Line(svg, $"<text x=\"{F(Right + 60)}\" y=\"{F(rowY)}\" font-size=\"11\" fill=\"#555555\">{Esc(note)}</text>");
            }
            rowY += 22;
        }
        Line(svg, "</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2, 2.5 or 5 times a power of ten, at least <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0 && double.IsFinite(rough)))
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
        {
            if (m * power >= rough * (1 - 1e-12))
            {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static (double XMax, double YLow, double YHigh) Ranges(IReadOnlyList<PlotSeries> series, double? target, double? xLimit)
    {
        double xMax = 0, yLow = double.PositiveInfinity, yHigh = 0, startHigh = 0;
        var limit = xLimit is { } l && l > 0 ? l : double.PositiveInfinity;
        foreach (var s in series)
        {
            var first = true;
            foreach (var (x, y) in s.Points)
            {
                if (!double.IsFinite(x) || !double.IsFinite(y) || x > limit)
                {
                    break;
                }
                xMax = Math.Max(xMax, x);
                if (y > 0)
                {
                    yLow = Math.Min(yLow, y);
                    yHigh = Math.Max(yHigh, y);
                    if (first)
                    {
                        startHigh = Math.Max(startHigh, y);
                    }
                }
                first = false;
            }
        }
        if (target is { } goal && goal > 0)
        {
            yLow = Math.Min(yLow, goal);
            yHigh = Math.Max(yHigh, goal);
        }
        if (!double.IsFinite(yLow) || yHigh <= 0)
        {
            (yLow, yHigh) = (0.1, 1);
        }
        // A diverging line must not squash everything else: clip at 100× the highest start.
        if (startHigh > 0)
        {
            yHigh = Math.Min(yHigh, 100 * startHigh);
        }
        xMax = double.IsFinite(limit) ? limit : xMax;
        return (xMax > 0 ? xMax : 1, yLow, Math.Max(yHigh, yLow));
    }

    private static string DecadeLabel(double exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "1e" + exponent.ToString("0", CultureInfo.InvariantCulture),
    };

    private static string TickLabel(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string ColorOf(int slot) => Palette[((slot % Palette.Length) + Palette.Length) % Palette.Length];

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Esc(string text) => SecurityElement.Escape(text) ?? "";

    private static void Line(StringBuilder svg, string text) => svg.Append(text).Append('\n');
}
