using TeenMode.AgeAssurance;

namespace TeenMode.Testing;

/// <summary>The eight cases of the NPPA real-name interface test.</summary>
public enum NppaTestCase
{
    /// <summary>testcase01: a check answers success with a player id.</summary>
    TestCase01 = 1,

    /// <summary>testcase02: a check answers in progress.</summary>
    TestCase02,

    /// <summary>testcase03: a check answers failed.</summary>
    TestCase03,

    /// <summary>testcase04: a query answers success with a player id.</summary>
    TestCase04,

    /// <summary>testcase05: a query answers in progress.</summary>
    TestCase05,

    /// <summary>testcase06: a query answers failed.</summary>
    TestCase06,

    /// <summary>testcase07: a behaviour upload for a guest (with device id) is accepted.</summary>
    TestCase07,

    /// <summary>testcase08: a behaviour upload for a certified user (with player id) is accepted.</summary>
    TestCase08,
}

/// <summary>One NPPA test case with its code and meaning.</summary>
/// <param name="Case">The case.</param>
/// <param name="Code">Its NPPA name, e.g. <c>testcase01</c>.</param>
/// <param name="Meaning">What it checks.</param>
public sealed record NppaTestCaseInfo(NppaTestCase Case, string Code, LocalizedText Meaning);

/// <summary>How one case went. <paramref name="Detail"/> never holds names or identity numbers.</summary>
public sealed record NppaTestCaseResult(NppaTestCase Case, bool Passed, string Detail);

/// <summary>The NPPA interface test cases, and a runner that drives one against any <see cref="IRealNameVerifier"/> with the simulator's fixtures.</summary>
public static class NppaTestCases
{
    /// <summary>Every case, in order.</summary>
    public static IReadOnlyList<NppaTestCaseInfo> All { get; } =
    [
        new(NppaTestCase.TestCase01, "testcase01", new("实名认证：认证成功", "Check: success, with a player id")),
        new(NppaTestCase.TestCase02, "testcase02", new("实名认证：认证中", "Check: in progress")),
        new(NppaTestCase.TestCase03, "testcase03", new("实名认证：认证失败", "Check: failed")),
        new(NppaTestCase.TestCase04, "testcase04", new("实名认证结果查询：认证成功", "Query: success, with a player id")),
        new(NppaTestCase.TestCase05, "testcase05", new("实名认证结果查询：认证中", "Query: in progress")),
        new(NppaTestCase.TestCase06, "testcase06", new("实名认证结果查询：认证失败", "Query: failed")),
        new(NppaTestCase.TestCase07, "testcase07", new("游戏用户行为数据上报：游客模式", "Behaviour upload: guest, with device id")),
        new(NppaTestCase.TestCase08, "testcase08", new("游戏用户行为数据上报：认证用户", "Behaviour upload: certified user, with player id")),
    ];

    /// <summary>
    /// Runs <paramref name="testCase"/> against <paramref name="verifier"/> using <see cref="NppaRealNameSimulator"/>'s
    /// fixtures (the verifier must know them, as the NPPA test system knows its preset data).
    /// </summary>
    /// <param name="testCase">The case.</param>
    /// <param name="verifier">The verifier under test (the simulator, or the SDK's wrapper around it).</param>
    /// <param name="time">The clock for behaviour record times.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<NppaTestCaseResult> RunAsync(NppaTestCase testCase, IRealNameVerifier verifier, TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(time);
        switch (testCase)
        {
            case NppaTestCase.TestCase01:
                return Expect(testCase, await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck(), cancellationToken).ConfigureAwait(false), RealNameOutcome.Verified);
            case NppaTestCase.TestCase02:
                return Expect(testCase, await verifier.CheckAsync(NppaRealNameSimulator.PendingCheck.ToCheck(), cancellationToken).ConfigureAwait(false), RealNameOutcome.Pending);
            case NppaTestCase.TestCase03:
                return Expect(testCase, await verifier.CheckAsync(NppaRealNameSimulator.FailedCheck.ToCheck(), cancellationToken).ConfigureAwait(false), RealNameOutcome.Failed);
            case NppaTestCase.TestCase04:
                return Expect(testCase, await verifier.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId, cancellationToken).ConfigureAwait(false), RealNameOutcome.Verified);
            case NppaTestCase.TestCase05:
                return Expect(testCase, await verifier.QueryAsync(NppaRealNameSimulator.PendingCheck.AccountId, cancellationToken).ConfigureAwait(false), RealNameOutcome.Pending);
            case NppaTestCase.TestCase06:
                return Expect(testCase, await verifier.QueryAsync(NppaRealNameSimulator.FailedCheck.AccountId, cancellationToken).ConfigureAwait(false), RealNameOutcome.Failed);
            case NppaTestCase.TestCase07:
                return Expect(testCase, await verifier.ReportBehaviourAsync(Session(time, "nppa-tc07-session", guest: true, null), cancellationToken).ConfigureAwait(false));
            case NppaTestCase.TestCase08:
                var check = await verifier.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck(), cancellationToken).ConfigureAwait(false);
                if (check is not { Outcome: RealNameOutcome.Verified, PlayerId: { Length: > 0 } playerId })
                {
                    return new(testCase, false, $"no player id to upload with: the check answered {check.Outcome}");
                }

                return Expect(testCase, await verifier.ReportBehaviourAsync(Session(time, "nppa-tc08-session", guest: false, playerId), cancellationToken).ConfigureAwait(false));
            default:
                throw new ArgumentOutOfRangeException(nameof(testCase), testCase, "Not an NPPA test case.");
        }
    }

    // A log-in a minute ago and the matching log-out now, in one batch.
    private static GameBehaviourRecord[] Session(TimeProvider time, string sessionId, bool guest, string? playerId)
    {
        var now = time.GetUtcNow();
        var deviceId = guest ? NppaRealNameSimulator.GuestDeviceId : null;
        return
        [
            new(1, sessionId, Online: true, now - TimeSpan.FromMinutes(1), guest, deviceId, playerId),
            new(2, sessionId, Online: false, now, guest, deviceId, playerId),
        ];
    }

    private static NppaTestCaseResult Expect(NppaTestCase testCase, RealNameResult result, RealNameOutcome expected)
    {
        if (result.Outcome != expected)
        {
            return new(testCase, false, $"expected {expected}, got {result.Outcome}");
        }

        if (expected == RealNameOutcome.Verified && string.IsNullOrEmpty(result.PlayerId))
        {
            return new(testCase, false, "Verified without a player id");
        }

        if (expected != RealNameOutcome.Verified && result.PlayerId is not null)
        {
            return new(testCase, false, $"{expected} carried a player id");
        }

        return new(testCase, true, expected.ToString());
    }

    private static NppaTestCaseResult Expect(NppaTestCase testCase, BehaviourUploadResult result) =>
        result.Accepted
            ? new(testCase, true, "accepted")
            : new(testCase, false, "refused: " + string.Join(", ", result.Errors.Select(e => $"#{e.Index} {e.Code}")));
}
