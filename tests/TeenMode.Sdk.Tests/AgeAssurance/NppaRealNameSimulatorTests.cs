using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AgeAssurance;
using TeenMode.Testing;
using static TeenMode.Tests.AgeAssurance.RealNameTestKit;

namespace TeenMode.Tests.AgeAssurance;

public sealed class NppaRealNameSimulatorTests
{
    private readonly FakeTimeProvider _time = new(Start);

    public static TheoryData<NppaTestCase> AllCases() => [.. Enum.GetValues<NppaTestCase>()];

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task NppaTestCase_PassesAgainstTheSimulator(NppaTestCase testCase)
    {
        var simulator = new NppaRealNameSimulator(_time);

        var result = await NppaTestCases.RunAsync(testCase, simulator, _time);

        result.Passed.Should().BeTrue(result.Detail);
    }

    [Fact]
    public void TestCaseList_NamesTheEightNppaCasesInOrder()
    {
        NppaTestCases.All.Select(c => c.Code).Should().Equal(Enumerable.Range(1, 8).Select(i => $"testcase{i:00}"));
        NppaTestCases.All.Select(c => c.Case).Should().Equal(Enum.GetValues<NppaTestCase>());
        NppaTestCases.All.Should().OnlyContain(c => c.Meaning.ZhCn.Length > 0 && c.Meaning.En.Length > 0);
    }

    [Fact]
    public void Fixtures_HaveValidCheckCharacters_UniqueAccounts_AndCoverEveryOutcome()
    {
        var fixtures = NppaRealNameSimulator.Fixtures;

        fixtures.Should().OnlyContain(f => IndependentCheckCharacterIsValid(f.IdentityNumber), "every fixture number carries its MOD 11-2 check character");
        fixtures.Select(f => f.AccountId).Should().OnlyHaveUniqueItems();
        fixtures.Select(f => f.IdentityNumber).Should().OnlyHaveUniqueItems();
        fixtures.Select(f => f.Outcome).Should().Contain([RealNameOutcome.Verified, RealNameOutcome.Pending, RealNameOutcome.Failed]);
        NppaRealNameSimulator.VerifiedMinor.BirthDate.Year.Should().Be(2013);
        NppaRealNameSimulator.VerifiedAdult.BirthDate.AddYears(18).Should().BeBefore(DateOnly.FromDateTime(Start.UtcDateTime));
        fixtures.Should().OnlyContain(f => NppaRealNameSimulator.HasValidCheckCharacter(f.IdentityNumber));
    }

    [Theory]
    [InlineData("110105201303070027", true)]
    [InlineData("110105201303070028", false)]
    [InlineData("11010520130307002X", false)]
    [InlineData("1101052013030700", false)]
    [InlineData("11010520130307002A", false)]
    public void CheckCharacter_IsIso7064Mod112(string number, bool valid) =>
        NppaRealNameSimulator.HasValidCheckCharacter(number).Should().Be(valid);

    [Fact]
    public async Task Check_OfAFixtureWithTheWrongName_Fails()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var adult = NppaRealNameSimulator.VerifiedAdult;

        var result = await simulator.CheckAsync(adult.ToCheck() with { Name = "别人" });

        result.Should().Be(new RealNameResult(RealNameOutcome.Failed));
    }

    [Theory]
    [InlineData("110101199003070012")] // wrong check character
    [InlineData("11010119900307001")] // 17 characters
    [InlineData("110101199013070015")] // month 13
    [InlineData("110101203001010014")] // born in 2030, after the clock
    public async Task Check_OfAMalformedNumber_Fails(string number)
    {
        var simulator = new NppaRealNameSimulator(_time);

        var result = await simulator.CheckAsync(new RealNameCheck("other-account", "测试戊", number));

        result.Outcome.Should().Be(RealNameOutcome.Failed);
    }

    [Fact]
    public async Task Check_OfAnyOtherWellFormedIdentity_AnswersTheDefaultOutcome()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var check = new RealNameCheck("app-account-7", "测试戊", "320102201012120055");

        (await simulator.CheckAsync(check)).Should().Be(new RealNameResult(RealNameOutcome.Verified, NppaRealNameSimulator.PlayerIdFor("app-account-7")));

        simulator.DefaultOutcome = RealNameOutcome.Failed;
        (await simulator.CheckAsync(check with { AccountId = "app-account-8" })).Outcome.Should().Be(RealNameOutcome.Failed);
    }

    [Fact]
    public async Task PendingCheck_StaysPendingUntilResolved_ThenChecksAndQueriesAnswerTheResolution()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var pending = NppaRealNameSimulator.PendingCheck;

        (await simulator.CheckAsync(pending.ToCheck())).Outcome.Should().Be(RealNameOutcome.Pending);
        (await simulator.QueryAsync(pending.AccountId)).Outcome.Should().Be(RealNameOutcome.Pending);
        (await simulator.CheckAsync(pending.ToCheck())).Outcome.Should().Be(RealNameOutcome.Pending);

        simulator.Resolve(pending.AccountId, RealNameOutcome.Verified);

        var expected = new RealNameResult(RealNameOutcome.Verified, NppaRealNameSimulator.PlayerIdFor(pending.AccountId));
        (await simulator.QueryAsync(pending.AccountId)).Should().Be(expected);
        (await simulator.CheckAsync(pending.ToCheck())).Should().Be(expected);
    }

    [Fact]
    public void Resolve_OfAnAccountWithoutPendingCheck_Throws()
    {
        var simulator = new NppaRealNameSimulator(_time);

        var resolve = () => simulator.Resolve(NppaRealNameSimulator.VerifiedAdult.AccountId, RealNameOutcome.Failed);

        resolve.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public async Task Query_OfAnUnknownAccount_Fails()
    {
        var simulator = new NppaRealNameSimulator(_time);

        (await simulator.QueryAsync("never-checked")).Should().Be(new RealNameResult(RealNameOutcome.Failed));
    }

    [Fact]
    public async Task Force_OverridesEveryAnswer_OrOneAccountsAnswers_UntilCleared()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var adult = NppaRealNameSimulator.VerifiedAdult;
        var minor = NppaRealNameSimulator.VerifiedMinor;

        simulator.Force(RealNameOutcome.Pending);
        (await simulator.CheckAsync(adult.ToCheck())).Outcome.Should().Be(RealNameOutcome.Pending);
        (await simulator.QueryAsync(minor.AccountId)).Outcome.Should().Be(RealNameOutcome.Pending);
        simulator.ClearForced();

        simulator.Force(minor.AccountId, RealNameOutcome.Failed);
        (await simulator.CheckAsync(minor.ToCheck())).Outcome.Should().Be(RealNameOutcome.Failed);
        (await simulator.QueryAsync(minor.AccountId)).Outcome.Should().Be(RealNameOutcome.Failed);
        (await simulator.CheckAsync(adult.ToCheck())).Outcome.Should().Be(RealNameOutcome.Verified);
        simulator.ClearForced();

        (await simulator.CheckAsync(minor.ToCheck())).Outcome.Should().Be(RealNameOutcome.Verified);
    }

    [Fact]
    public async Task PlayerId_IsStable_38Characters_AndNotTheIdentityNumber()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var adult = NppaRealNameSimulator.VerifiedAdult;

        var first = await simulator.CheckAsync(adult.ToCheck());
        var second = await new NppaRealNameSimulator(_time).QueryAsync(adult.AccountId);

        first.PlayerId.Should().HaveLength(NppaRealNameSimulator.PlayerIdLength).And.Be(second.PlayerId)
            .And.NotContain(adult.IdentityNumber[..6]).And.NotContain(adult.IdentityNumber[6..14]);
        NppaRealNameSimulator.PlayerIdFor(NppaRealNameSimulator.VerifiedMinor.AccountId).Should().NotBe(first.PlayerId);
    }

    [Fact]
    public async Task Outage_MakesEveryCallThrowHttpRequestException_UntilSwitchedOff()
    {
        var simulator = new NppaRealNameSimulator(_time);
        simulator.SimulateOutage(true);

        await simulator.Invoking(s => s.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).Should().ThrowAsync<HttpRequestException>();
        await simulator.Invoking(s => s.QueryAsync("x")).Should().ThrowAsync<HttpRequestException>();
        await simulator.Invoking(s => s.ReportBehaviourAsync([Guest(1)])).Should().ThrowAsync<HttpRequestException>();

        simulator.SimulateOutage(false);
        (await simulator.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId)).Outcome.Should().Be(RealNameOutcome.Verified);
        (simulator.CheckCalls, simulator.QueryCalls, simulator.UploadCalls).Should().Be((1, 2, 1));
    }

    [Fact]
    public async Task Latency_IsWaitedOnTheSimulatorsClock()
    {
        var simulator = new NppaRealNameSimulator(_time) { Latency = TimeSpan.FromSeconds(3) };

        var call = simulator.QueryAsync(NppaRealNameSimulator.VerifiedAdult.AccountId);
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(2));
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));

        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Outcome.Should().Be(RealNameOutcome.Verified);
    }

    [Fact]
    public async Task Upload_AcceptedBatches_AreRecorded()
    {
        var simulator = new NppaRealNameSimulator(_time);
        var pi = (await simulator.CheckAsync(NppaRealNameSimulator.VerifiedAdult.ToCheck())).PlayerId;
        GameBehaviourRecord[] batch = [Guest(1), Certified(2, pi)];

        var result = await simulator.ReportBehaviourAsync(batch);

        result.Should().BeEquivalentTo(BehaviourUploadResult.Ok);
        simulator.Uploads.Should().Equal(batch);
    }

    [Fact]
    public async Task Upload_GuestWithoutDeviceId_IsRefused()
    {
        var result = await new NppaRealNameSimulator(_time).ReportBehaviourAsync([Guest(1) with { DeviceId = null }]);

        ShouldRefuse(result, new BehaviourRecordError(1, BehaviourRecordError.DeviceIdMissing));
    }

    [Fact]
    public async Task Upload_CertifiedWithoutPlayerId_OrWithAnUnissuedOne_IsRefused()
    {
        var result = await new NppaRealNameSimulator(_time).ReportBehaviourAsync([Certified(1, null), Certified(2, new string('0', 38))]);

        ShouldRefuse(result, new BehaviourRecordError(1, BehaviourRecordError.PlayerIdMissing), new BehaviourRecordError(2, BehaviourRecordError.PlayerIdUnknown));
    }

    [Fact]
    public async Task Upload_Of129Records_IsRefused_And128AreAccepted()
    {
        var simulator = new NppaRealNameSimulator(_time);

        ShouldRefuse(await simulator.ReportBehaviourAsync([.. Enumerable.Range(1, 129).Select(Guest)]), new BehaviourRecordError(0, BehaviourRecordError.BatchTooLarge));
        (await simulator.ReportBehaviourAsync([.. Enumerable.Range(1, 128).Select(Guest)])).Accepted.Should().BeTrue();
        ShouldRefuse(await simulator.ReportBehaviourAsync([]), new BehaviourRecordError(0, BehaviourRecordError.BatchEmpty));
        simulator.Uploads.Should().HaveCount(128);
    }

    [Fact]
    public async Task Upload_DuplicateOrOutOfRangeIndex_IsRefused()
    {
        var result = await new NppaRealNameSimulator(_time).ReportBehaviourAsync([Guest(1), Guest(1), Guest(0)]);

        ShouldRefuse(result, new BehaviourRecordError(1, BehaviourRecordError.IndexDuplicate), new BehaviourRecordError(0, BehaviourRecordError.IndexInvalid));
    }

    [Fact]
    public async Task Upload_MissingSessionId_OrTimeBeyondTheSkew_IsRefused()
    {
        var simulator = new NppaRealNameSimulator(_time);

        var result = await simulator.ReportBehaviourAsync(
        [
            Guest(1) with { SessionId = " " },
            Guest(2) with { At = Start + simulator.ClockSkew + TimeSpan.FromSeconds(1) },
            Guest(3) with { At = Start + simulator.ClockSkew },
        ]);

        ShouldRefuse(result, new BehaviourRecordError(1, BehaviourRecordError.SessionIdMissing), new BehaviourRecordError(2, BehaviourRecordError.TimeInFuture));
        simulator.Uploads.Should().BeEmpty("a refused batch is not kept in part");
    }

    [Fact]
    public async Task ParallelCalls_AreCountedAndAnsweredConsistently()
    {
        var simulator = new NppaRealNameSimulator(_time);

        var tasks = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var account = "parallel-" + i.ToString(CultureInfo.InvariantCulture);
            var check = await simulator.CheckAsync(new RealNameCheck(account, "测试戊", "320102201012120055"));
            var query = await simulator.QueryAsync(account);
            var upload = await simulator.ReportBehaviourAsync([Certified(1, check.PlayerId) with { SessionId = account }]);
            return check == query && upload.Accepted;
        })).ToList();

        (await Task.WhenAll(tasks)).Should().OnlyContain(ok => ok);
        (simulator.CheckCalls, simulator.QueryCalls, simulator.UploadCalls, simulator.Uploads.Count).Should().Be((200, 200, 200, 200));
    }

    [Fact]
    public void Fixture_ToString_HidesNameAndNumber()
    {
        var adult = NppaRealNameSimulator.VerifiedAdult;

        adult.ToString().Should().Contain(adult.AccountId).And.NotContain(adult.Name).And.NotContain(adult.IdentityNumber);
    }

    internal static GameBehaviourRecord Guest(int index) =>
        new(index, "session-" + index.ToString(CultureInfo.InvariantCulture), Online: index % 2 == 1, Start - TimeSpan.FromMinutes(1), Guest: true,
            NppaRealNameSimulator.GuestDeviceId, PlayerId: null);

    internal static GameBehaviourRecord Certified(int index, string? playerId) =>
        new(index, "session-" + index.ToString(CultureInfo.InvariantCulture), Online: true, Start - TimeSpan.FromMinutes(1), Guest: false, DeviceId: null, playerId);

    private static void ShouldRefuse(BehaviourUploadResult result, params BehaviourRecordError[] errors)
    {
        result.Accepted.Should().BeFalse();
        result.Errors.Should().BeEquivalentTo(errors);
    }

    // Written apart from the simulator's own check: weights 2^(17-i) mod 11, check characters "10X98765432".
    private static bool IndependentCheckCharacterIsValid(string number)
    {
        var sum = Enumerable.Range(0, 17).Sum(i => (number[i] - '0') * (int)(Math.Pow(2, 17 - i) % 11));
        return number.Length == 18 && number[..17].All(char.IsAsciiDigit) && number[17] == "10X98765432"[sum % 11];
    }
}
