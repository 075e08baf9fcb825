using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TeenMode.AgeAssurance;

namespace TeenMode.Testing;

/// <summary>
/// One preset identity of <see cref="NppaRealNameSimulator"/>, like the NPPA interface test's preset data (our own
/// fictitious numbers, each with a valid ISO 7064 MOD 11-2 check character). <see cref="ToString"/> leaves out name and number.
/// </summary>
/// <param name="Key">A short name for reports.</param>
/// <param name="AccountId">The app account id (NPPA <c>ai</c>).</param>
/// <param name="Name">The fixture's name.</param>
/// <param name="IdentityNumber">The fixture's 18-character identity number.</param>
/// <param name="Outcome">What a check of this identity answers.</param>
public sealed record NppaFixture(string Key, string AccountId, string Name, string IdentityNumber, RealNameOutcome Outcome)
{
    /// <summary>The birth date encoded in <see cref="IdentityNumber"/>.</summary>
    public DateOnly BirthDate => DateOnly.ParseExact(IdentityNumber.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The check request for this identity.</summary>
    public RealNameCheck ToCheck() => new(AccountId, Name, IdentityNumber);

    // Same rule as for real requests: fixture names and numbers stay out of logs and test output.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Key = ").Append(Key).Append(", AccountId = ").Append(AccountId).Append(", Outcome = ").Append(Outcome);
        return true;
    }
}

/// <summary>
/// An in-process stand-in for the NPPA real-name system, modelled on its interface test: preset identities answer
/// success, in progress or failed; pending checks stay pending until <see cref="Resolve"/>; behaviour uploads are
/// validated as the NPPA system does. Outages and latency can be switched on to exercise the SDK's resilience.
/// Thread-safe.
/// </summary>
public sealed class NppaRealNameSimulator : IRealNameVerifier
{
    /// <summary>Most records one behaviour upload may carry.</summary>
    public const int MaxBatchSize = 128;

    /// <summary>Length of a player id (NPPA <c>pi</c> is 38 characters).</summary>
    public const int PlayerIdLength = 38;

    /// <summary>A device id for guest behaviour records.</summary>
    public const string GuestDeviceId = "nppa-fixture-device-0001";

    /// <summary>An adult (born 1990-03-07) whose check succeeds.</summary>
    public static NppaFixture VerifiedAdult { get; } = new("verified-adult", "nppa-fixture-adult", "测试甲", "110101199003070011", RealNameOutcome.Verified);

    /// <summary>A minor (born 2013-05-20) whose check succeeds.</summary>
    public static NppaFixture VerifiedMinor { get; } = new("verified-minor", "nppa-fixture-minor", "测试乙", "310101201305200026", RealNameOutcome.Verified);

    /// <summary>An identity whose check stays in progress until <see cref="Resolve"/>.</summary>
    public static NppaFixture PendingCheck { get; } = new("pending", "nppa-fixture-pending", "测试丙", "440305200008150035", RealNameOutcome.Pending);

    /// <summary>An identity the system does not match.</summary>
    public static NppaFixture FailedCheck { get; } = new("failed", "nppa-fixture-failed", "测试丁", "510104198511300046", RealNameOutcome.Failed);

    /// <summary>Every preset identity.</summary>
    public static IReadOnlyList<NppaFixture> Fixtures { get; } = [VerifiedAdult, VerifiedMinor, PendingCheck, FailedCheck];

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RealNameOutcome> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RealNameOutcome> _forcedAccounts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _issuedPlayerIds = new(StringComparer.Ordinal);
    private readonly List<GameBehaviourRecord> _uploads = [];
    private RealNameOutcome _defaultOutcome = RealNameOutcome.Verified;
    private RealNameOutcome? _forced;
    private TimeSpan _latency;
    private TimeSpan _clockSkew = TimeSpan.FromMinutes(5);
    private bool _outage;
    private int _checkCalls;
    private int _queryCalls;
    private int _uploadCalls;

    /// <summary>Creates the simulator; every preset identity is already known (a query of it answers its outcome).</summary>
    /// <param name="time">The clock for latency and for future-dated records; the system clock when null.</param>
    public NppaRealNameSimulator(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        foreach (var fixture in Fixtures)
        {
            Record(fixture.AccountId, fixture.Outcome);
        }
    }

    /// <summary>What a well-formed check of an identity that is not a fixture answers. Default <see cref="RealNameOutcome.Verified"/>.</summary>
    public RealNameOutcome DefaultOutcome
    {
        get { lock (_gate) { return _defaultOutcome; } }
        set { lock (_gate) { _defaultOutcome = value; } }
    }

    /// <summary>How long every call takes (waited on the simulator's <see cref="TimeProvider"/>). Default zero.</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) { return _latency; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _latency = value; }
        }
    }

    /// <summary>How far in the future a behaviour record's time may lie (clock skew between servers). Default 5 min.</summary>
    public TimeSpan ClockSkew
    {
        get { lock (_gate) { return _clockSkew; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _clockSkew = value; }
        }
    }

    /// <summary>Calls of <see cref="CheckAsync"/> so far, outages included.</summary>
    public int CheckCalls => Volatile.Read(ref _checkCalls);

    /// <summary>Calls of <see cref="QueryAsync"/> so far, outages included.</summary>
    public int QueryCalls => Volatile.Read(ref _queryCalls);

    /// <summary>Calls of <see cref="ReportBehaviourAsync"/> so far, outages included.</summary>
    public int UploadCalls => Volatile.Read(ref _uploadCalls);

    /// <summary>Every record of every accepted upload, in order.</summary>
    public IReadOnlyList<GameBehaviourRecord> Uploads
    {
        get { lock (_gate) { return [.. _uploads]; } }
    }

    /// <summary>The player id the simulator issues for <paramref name="accountId"/>: SHA-256 of the account id, hex, 38 characters (never derived from the identity number).</summary>
    public static string PlayerIdFor(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("nppa-simulator-pi:" + accountId));
        return Convert.ToHexStringLower(hash)[..PlayerIdLength];
    }

    /// <summary>True when <paramref name="identityNumber"/> is 17 digits and its ISO 7064 MOD 11-2 check character.</summary>
    public static bool HasValidCheckCharacter(string? identityNumber)
    {
        if (identityNumber is not { Length: 18 })
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(identityNumber[i]))
            {
                return false;
            }

            // Weight of position i (0-based) is 2^(17-i) mod 11.
            sum += (identityNumber[i] - '0') * ((1 << (17 - i)) % 11);
        }

        return char.ToUpperInvariant(identityNumber[17]) == "10X98765432"[sum % 11];
    }

    /// <summary>Every following check and query answers <paramref name="outcome"/> until <see cref="ClearForced"/>.</summary>
    public void Force(RealNameOutcome outcome)
    {
        lock (_gate)
        {
            _forced = outcome;
        }
    }

    /// <summary>Checks and queries of <paramref name="accountId"/> answer <paramref name="outcome"/> until <see cref="ClearForced"/>.</summary>
    public void Force(string accountId, RealNameOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        lock (_gate)
        {
            _forcedAccounts[accountId] = outcome;
            Record(accountId, outcome);
        }
    }

    /// <summary>Ends every <see cref="Force(RealNameOutcome)"/> and <see cref="Force(string, RealNameOutcome)"/>.</summary>
    public void ClearForced()
    {
        lock (_gate)
        {
            _forced = null;
            _forcedAccounts.Clear();
        }
    }

    /// <summary>Finishes a pending check: later checks and queries of the account answer <paramref name="outcome"/>.</summary>
    /// <exception cref="InvalidOperationException">The account has no pending check.</exception>
    public void Resolve(string accountId, RealNameOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        lock (_gate)
        {
            if (!_states.TryGetValue(accountId, out var state) || state != RealNameOutcome.Pending)
            {
                throw new InvalidOperationException($"Account {accountId} has no pending check to resolve.");
            }

            Record(accountId, outcome);
        }
    }

    /// <summary>While on, every call throws <see cref="HttpRequestException"/> (after <see cref="Latency"/>), as an unreachable system would.</summary>
    public void SimulateOutage(bool on) => Volatile.Write(ref _outage, on);

    /// <inheritdoc />
    public async Task<RealNameResult> CheckAsync(RealNameCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        Interlocked.Increment(ref _checkCalls);
        await ArriveAsync(cancellationToken).ConfigureAwait(false);
        var wellFormed = IsWellFormed(check);
        lock (_gate)
        {
            RealNameOutcome answer;
            if (_forced is { } forced)
            {
                answer = forced;
            }
            else if (_forcedAccounts.TryGetValue(check.AccountId, out var forcedForAccount))
            {
                answer = forcedForAccount;
            }
            else if (!wellFormed)
            {
                answer = RealNameOutcome.Failed;
            }
            else
            {
                // The preset account, or (for an app whose account ids the test cannot choose) the preset identity.
                var fixture = Fixtures.FirstOrDefault(f => f.AccountId == check.AccountId)
                    ?? Fixtures.FirstOrDefault(f => string.Equals(f.IdentityNumber, check.IdentityNumber, StringComparison.OrdinalIgnoreCase));
                var expected = fixture is null ? _defaultOutcome
                    : Matches(fixture, check) ? fixture.Outcome
                    : RealNameOutcome.Failed;

                // A resolved pending check keeps its resolution; an unresolved one stays pending.
                answer = expected == RealNameOutcome.Pending && _states.TryGetValue(check.AccountId, out var state) && state != RealNameOutcome.Pending
                    ? state
                    : expected;
            }

            return Record(check.AccountId, answer);
        }
    }

    /// <inheritdoc />
    public async Task<RealNameResult> QueryAsync(string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        Interlocked.Increment(ref _queryCalls);
        await ArriveAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_forced is { } forced)
            {
                return Record(accountId, forced);
            }

            if (_forcedAccounts.TryGetValue(accountId, out var forcedForAccount))
            {
                return Record(accountId, forcedForAccount);
            }

            // The NPPA system knows only accounts it was asked about; anything else is a failed query.
            return _states.TryGetValue(accountId, out var state) ? Result(accountId, state) : new RealNameResult(RealNameOutcome.Failed);
        }
    }

    /// <inheritdoc />
    public async Task<BehaviourUploadResult> ReportBehaviourAsync(IReadOnlyList<GameBehaviourRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        Interlocked.Increment(ref _uploadCalls);
        await ArriveAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var errors = Validate(records);
            if (errors.Count > 0)
            {
                return new BehaviourUploadResult(false, errors);
            }

            _uploads.AddRange(records);
            return BehaviourUploadResult.Ok;
        }
    }

    // Caller holds _gate: the issued player ids are read.
    private List<BehaviourRecordError> Validate(IReadOnlyList<GameBehaviourRecord> records)
    {
        var errors = new List<BehaviourRecordError>();
        if (records.Count == 0)
        {
            errors.Add(new(0, BehaviourRecordError.BatchEmpty));
            return errors;
        }

        if (records.Count > MaxBatchSize)
        {
            errors.Add(new(0, BehaviourRecordError.BatchTooLarge));
            return errors;
        }

        var latest = _time.GetUtcNow() + _clockSkew;
        var seen = new HashSet<int>();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (record.Index < 1 || record.Index > records.Count)
            {
                errors.Add(new(record.Index, BehaviourRecordError.IndexInvalid));
            }
            else if (!seen.Add(record.Index))
            {
                errors.Add(new(record.Index, BehaviourRecordError.IndexDuplicate));
            }

            if (string.IsNullOrWhiteSpace(record.SessionId))
            {
                errors.Add(new(record.Index, BehaviourRecordError.SessionIdMissing));
            }

            if (record.Guest && string.IsNullOrWhiteSpace(record.DeviceId))
            {
                errors.Add(new(record.Index, BehaviourRecordError.DeviceIdMissing));
            }

            if (!record.Guest)
            {
                if (string.IsNullOrWhiteSpace(record.PlayerId))
                {
                    errors.Add(new(record.Index, BehaviourRecordError.PlayerIdMissing));
                }
                else if (!_issuedPlayerIds.Contains(record.PlayerId))
                {
                    errors.Add(new(record.Index, BehaviourRecordError.PlayerIdUnknown));
                }
            }

            if (record.At > latest)
            {
                errors.Add(new(record.Index, BehaviourRecordError.TimeInFuture));
            }
        }

        return errors;
    }

    private async Task ArriveAsync(CancellationToken cancellationToken)
    {
        var latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _time, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (Volatile.Read(ref _outage))
        {
            throw new HttpRequestException("模拟的实名认证系统不可达 / The simulated NPPA real-name system is unreachable.");
        }
    }

    private bool IsWellFormed(RealNameCheck check)
    {
        if (string.IsNullOrWhiteSpace(check.AccountId) || string.IsNullOrWhiteSpace(check.Name) || !HasValidCheckCharacter(check.IdentityNumber))
        {
            return false;
        }

        // Digits 7-14 are the birth date: it must exist and not lie ahead of the simulator's clock.
        return DateOnly.TryParseExact(check.IdentityNumber.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            && birth.Year >= 1900
            && birth <= DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
    }

    private static bool Matches(NppaFixture fixture, RealNameCheck check) =>
        string.Equals(fixture.Name, check.Name.Trim(), StringComparison.Ordinal)
        && string.Equals(fixture.IdentityNumber, check.IdentityNumber, StringComparison.OrdinalIgnoreCase);

    // Caller holds _gate (or is the constructor).
    private RealNameResult Record(string accountId, RealNameOutcome outcome)
    {
        _states[accountId] = outcome;
        return Result(accountId, outcome);
    }

    private RealNameResult Result(string accountId, RealNameOutcome outcome)
    {
        if (outcome != RealNameOutcome.Verified)
        {
            return new RealNameResult(outcome);
        }

        var playerId = PlayerIdFor(accountId);
        _issuedPlayerIds.Add(playerId);
        return new RealNameResult(outcome, playerId);
    }
}
