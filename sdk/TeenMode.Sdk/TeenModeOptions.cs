namespace TeenMode;

/// <summary>Settings of the SDK. Regulatory numbers are not here: they come from the rule pack.</summary>
public sealed class TeenModeOptions
{
    /// <summary>The id of a rule pack shipped with the SDK. Default <c>cn-cac-2024</c>.</summary>
    public string RulePackId { get; set; } = Rules.RulePackLoader.DefaultPackId;

    /// <summary>A rule pack file to load instead of a shipped one.</summary>
    public string? RulePackPath { get; set; }

    /// <summary>PBKDF2-SHA256 iterations for guardian PINs. Default 600,000 (OWASP's current figure for PBKDF2-HMAC-SHA256).</summary>
    public int PinIterations { get; set; } = 600_000;

    /// <summary>The most use one heartbeat may report, in seconds. Default 60.</summary>
    public int MaxHeartbeatSeconds { get; set; } = 60;

    /// <summary>A gap between heartbeats longer than this counts as a break and restarts continuous use. Default 10 minutes.</summary>
    public TimeSpan ContinuousUseBreak { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failed guardian verifications in a row (across devices) that lock verification. Default 5.</summary>
    public int GuardianMaxFailures { get; set; } = 5;

    /// <summary>How long verification stays locked after <see cref="GuardianMaxFailures"/> failures. Default 15 minutes.</summary>
    public TimeSpan GuardianLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a guardian binding code stays valid. Default 10 minutes: a platform choice (no regulation sets it),
    /// long enough to hand a code from the minor's device to the guardian, short enough to be useless later.
    /// </summary>
    public TimeSpan GuardianBindingCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest a gate waits for the store before it denies with <c>store-unavailable</c> (fail closed). Default 2 seconds.
    /// The HTTP API answers such a denial with 503 and <c>Retry-After</c>.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often denials counted in memory for the guardian usage report are written to the store, in real time (the
    /// app's clock may be frozen or virtual). Default 1 second: what a crash can lose at most, with the write itself.
    /// Pending counts are flushed sooner when many keys are pending, and on graceful shutdown.
    /// </summary>
    public TimeSpan BlockedAttemptFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal IEnumerable<string> Validate()
    {
        if (StoreTimeout <= TimeSpan.Zero || StoreTimeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{nameof(StoreTimeout)} must be positive and at most one minute.";
        }

        if (BlockedAttemptFlushInterval < TimeSpan.FromMilliseconds(10) || BlockedAttemptFlushInterval > TimeSpan.FromMinutes(1))
        {
            yield return $"{nameof(BlockedAttemptFlushInterval)} must be between 10 milliseconds and one minute.";
        }

        if (GuardianBindingCodeLifetime <= TimeSpan.Zero || GuardianBindingCodeLifetime > TimeSpan.FromDays(1))
        {
            yield return $"{nameof(GuardianBindingCodeLifetime)} must be positive and at most one day.";
        }

        if (GuardianMaxFailures is < 1 or > 100)
        {
            yield return $"{nameof(GuardianMaxFailures)} must be between 1 and 100 (was {GuardianMaxFailures}).";
        }

        if (GuardianLockout <= TimeSpan.Zero)
        {
            yield return $"{nameof(GuardianLockout)} must be positive.";
        }

        if (PinIterations < 100_000)
        {
            yield return $"{nameof(PinIterations)} must be at least 100000 (was {PinIterations}).";
        }

        if (MaxHeartbeatSeconds is < 1 or > 3600)
        {
            yield return $"{nameof(MaxHeartbeatSeconds)} must be between 1 and 3600 (was {MaxHeartbeatSeconds}).";
        }

        if (ContinuousUseBreak <= TimeSpan.Zero)
        {
            yield return $"{nameof(ContinuousUseBreak)} must be positive.";
        }

        if (string.IsNullOrWhiteSpace(RulePackId) && string.IsNullOrWhiteSpace(RulePackPath))
        {
            yield return $"Set {nameof(RulePackId)} or {nameof(RulePackPath)}.";
        }
    }
}
