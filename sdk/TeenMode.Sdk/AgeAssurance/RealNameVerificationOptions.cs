using System.Globalization;

namespace TeenMode.AgeAssurance;

/// <summary>
/// How the SDK calls the app's <see cref="IRealNameVerifier"/>: a time limit per attempt, retries with exponential
/// backoff and jitter for transport failures, and a circuit breaker. Operational settings, not regulatory numbers.
/// </summary>
public sealed class RealNameVerificationOptions
{
    /// <summary>Time limit of one call to the provider (10 ms to 1 min). Default 5 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a failed attempt (0 to 10); only exceptions and timeouts are retried, never an answer. Default 2.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Median delay before the first retry; later retries back off exponentially with jitter (0 to 30 s). Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the circuit stays open before one trial call is let through (0.5 s to 1 h). Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed attempts within <see cref="SamplingDuration"/> that opens the circuit (above 0, at most 1). Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within <see cref="SamplingDuration"/> before the circuit may open (2 to 10 000). Default 5.</summary>
    public int MinimumThroughput { get; set; } = 5;

    /// <summary>The window over which <see cref="FailureRatio"/> is measured (0.5 s to 1 h). Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The shared secret a provider signs its result callbacks with (HMAC-SHA256, see <c>docs/http-api.md</c>). Null (the
    /// default) turns the callback endpoint off; when set it must be at least 32 bytes of UTF-8.
    /// </summary>
    public string? CallbackSecret { get; set; }

    /// <summary>How far a callback's timestamp may be from now before it is refused as a replay. Default 5 minutes.</summary>
    public TimeSpan CallbackMaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when a setting is outside its range.</summary>
    /// <exception cref="TeenModeConfigurationException">A setting is out of range.</exception>
    internal void Validate()
    {
        var problems = new List<string>();
        Check(AttemptTimeout >= TimeSpan.FromMilliseconds(10) && AttemptTimeout <= TimeSpan.FromMinutes(1), nameof(AttemptTimeout), "10 ms – 1 min", AttemptTimeout);
        Check(MaxRetries is >= 0 and <= 10, nameof(MaxRetries), "0 – 10", MaxRetries);
        Check(BaseDelay >= TimeSpan.Zero && BaseDelay <= TimeSpan.FromSeconds(30), nameof(BaseDelay), "0 – 30 s", BaseDelay);
        Check(BreakDuration >= TimeSpan.FromMilliseconds(500) && BreakDuration <= TimeSpan.FromHours(1), nameof(BreakDuration), "0.5 s – 1 h", BreakDuration);
        Check(FailureRatio is > 0 and <= 1, nameof(FailureRatio), "(0, 1]", FailureRatio);
        Check(MinimumThroughput is >= 2 and <= 10_000, nameof(MinimumThroughput), "2 – 10000", MinimumThroughput);
        Check(SamplingDuration >= TimeSpan.FromMilliseconds(500) && SamplingDuration <= TimeSpan.FromHours(1), nameof(SamplingDuration), "0.5 s – 1 h", SamplingDuration);
        Check(CallbackSecret is null || System.Text.Encoding.UTF8.GetByteCount(CallbackSecret) >= 32, nameof(CallbackSecret), "≥ 32 bytes", "(hidden)");
        Check(CallbackMaxAge >= TimeSpan.FromSeconds(10) && CallbackMaxAge <= TimeSpan.FromHours(1), nameof(CallbackMaxAge), "10 s – 1 h", CallbackMaxAge);
        if (problems.Count > 0)
        {
            throw new TeenModeConfigurationException(string.Join(Environment.NewLine, problems));
        }

        void Check(bool ok, string name, string range, object value)
        {
            if (!ok)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"实名认证设置 RealNameVerificationOptions.{name} 超出范围 {range}（当前 {value}） / RealNameVerificationOptions.{name} must be within {range} (is {value})."));
            }
        }
    }
}
