namespace Decentral.Nodes.Objectives;

/// <summary>Overflow-free forms of the logistic functions.</summary>
public static class StableMath
{
    /// <summary>log(1 + eᶻ) = max(z, 0) + log1p(e^−|z|): the exponential never overflows, and for
    /// z ≪ 0 the result keeps full relative precision (≈ eᶻ) instead of rounding to 0.</summary>
    public static double Softplus(double z) => Math.Max(z, 0) + Log1P(Math.Exp(-Math.Abs(z)));

    /// <summary>σ(z) = 1/(1 + e⁻ᶻ), evaluated so that the exponential never overflows.</summary>
    public static double Sigmoid(double z)
    {
        if (z >= 0)
        {
            return 1 / (1 + Math.Exp(-z));
        }
        var e = Math.Exp(z);
        return e / (1 + e);
    }

    /// <summary>log(1 + exp(−m)): the logistic loss at margin m.</summary>
    public static double LogisticLoss(double margin) => Softplus(-margin);

    /// <summary>
    /// log(1 + u) accurate for small u. (double.LogP1 computes Log(1 + u), which loses all digits
    /// below 1e-16.) Goldberg's trick: the rounding error of w = 1 + u cancels in log(w)·u/(w − 1).
    /// </summary>
    public static double Log1P(double u)
    {
        var w = 1 + u;
        return w == 1 ? u : Math.Log(w) * u / (w - 1);
    }
}
