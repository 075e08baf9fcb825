namespace TeenMode.Spending;

/// <summary>Platform settings of the refund process. Not regulatory: no rule gives these numbers.</summary>
public sealed class SpendingOptions
{
    /// <summary>How long after filing the platform promises a refund decision; printed on the receipt. Default 7 days.</summary>
    public TimeSpan RefundDecisionWithin { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The longest refusal reason or guardian note kept, in characters. Default 1000.</summary>
    public int MaxReasonLength { get; set; } = 1000;
}
