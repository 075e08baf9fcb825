using FluentAssertions;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;
using Xunit;

namespace TeenMode.Testing;

/// <summary>
/// The behaviour every teen-mode store must have. Derive a test class in your test project, return a fresh,
/// empty store from <see cref="CreateStoreAsync"/>, and xUnit runs every test below against it.
/// </summary>
public abstract partial class StoreContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 6);
    private static readonly TimeSpan Break = TimeSpan.FromMinutes(10);

    /// <summary>Creates a fresh, empty store; disposing the result cleans it up.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    [Fact]
    public async Task Subject_AddThenGet_ReturnsEveryField()
    {
        await using var store = await CreateStoreAsync();
        var withBirth = new Subject("kid-1", new DateOnly(2014, 2, 28), null, AgeSource.RealNameVerified, true,
            new DateTimeOffset(2026, 3, 6, 10, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567));
        var withBand = new Subject("kid-2", null, new AgeBand(12, 16), AgeSource.GuardianDeclared, false, Start);

        (await store.Subjects.TryAddAsync(withBirth)).Should().BeTrue();
        (await store.Subjects.TryAddAsync(withBand)).Should().BeTrue();

        (await store.Subjects.GetAsync("kid-1")).Should().Be(withBirth);
        (await store.Subjects.GetAsync("kid-2")).Should().Be(withBand);
    }

    [Fact]
    public async Task Subject_GetUnknown_ReturnsNull()
    {
        await using var store = await CreateStoreAsync();

        (await store.Subjects.GetAsync("nobody")).Should().BeNull();
    }

    [Fact]
    public async Task Subject_AddDuplicateId_ReturnsFalseAndKeepsTheFirst()
    {
        await using var store = await CreateStoreAsync();
        var first = new Subject("kid", new DateOnly(2015, 5, 1), null, AgeSource.SelfDeclared, true, Start);
        await store.Subjects.TryAddAsync(first);

        var added = await store.Subjects.TryAddAsync(new Subject("kid", null, new AgeBand(16, 18), AgeSource.OsSignal, false, Start.AddDays(1)));

        added.Should().BeFalse();
        (await store.Subjects.GetAsync("kid")).Should().Be(first);
    }

    [Fact]
    public async Task Subject_SetTeenMode_TogglesAndKeepsOtherFields()
    {
        await using var store = await CreateStoreAsync();
        var subject = new Subject("kid", new DateOnly(2015, 5, 1), null, AgeSource.SelfDeclared, true, Start);
        await store.Subjects.TryAddAsync(subject);

        (await store.Subjects.SetTeenModeAsync("kid", false)).Should().BeTrue();
        (await store.Subjects.GetAsync("kid")).Should().Be(subject with { TeenMode = false });

        (await store.Subjects.SetTeenModeAsync("kid", true)).Should().BeTrue();
        (await store.Subjects.GetAsync("kid")).Should().Be(subject);
    }

    [Fact]
    public async Task Subject_SetTeenModeOfUnknown_ReturnsFalseAndCreatesNothing()
    {
        await using var store = await CreateStoreAsync();

        (await store.Subjects.SetTeenModeAsync("nobody", true)).Should().BeFalse();
        (await store.Subjects.GetAsync("nobody")).Should().BeNull();
    }

    [Fact]
    public async Task Ledger_NoHeartbeats_ReturnsEmptyDay()
    {
        await using var store = await CreateStoreAsync();

        var day = await store.Ledger.GetDayAsync("kid", Today);

        day.Seconds.Should().Be(0);
        day.ContinuousSeconds.Should().Be(0);
        day.LastHeartbeatAt.Should().BeNull();
    }

    [Fact]
    public async Task Ledger_FirstHeartbeat_IsCountedAndReturnsTheDay()
    {
        await using var store = await CreateStoreAsync();

        var (counted, day) = await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);

        counted.Should().BeTrue();
        day.Should().Be(new UsageDay(60, 60, Start));
        (await store.Ledger.GetDayAsync("kid", Today)).Should().Be(new UsageDay(60, 60, Start));
    }

    [Fact]
    public async Task Ledger_SameDeviceAndSequenceTwice_CountsOnce()
    {
        await using var store = await CreateStoreAsync();
        await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);

        var (counted, day) = await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start.AddMinutes(1), Break);

        counted.Should().BeFalse();
        day.Should().Be(new UsageDay(60, 60, Start), "a replayed heartbeat changes nothing, not even the last-seen time");
        (await store.Ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(60);
    }

    [Fact]
    public async Task Ledger_SameSequenceOnOtherDeviceOrSubject_CountsEach()
    {
        await using var store = await CreateStoreAsync();
        await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);

        (await store.Ledger.AppendAsync("kid", "tablet", 1, Today, 30, Start, Break)).Counted.Should().BeTrue();
        (await store.Ledger.AppendAsync("sibling", "phone", 1, Today, 45, Start, Break)).Counted.Should().BeTrue();

        (await store.Ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(90);
        (await store.Ledger.GetDayAsync("sibling", Today)).Seconds.Should().Be(45);
    }

    [Fact]
    public async Task Ledger_HeartbeatsOnTwoLocalDates_AreTotalledPerDate()
    {
        await using var store = await CreateStoreAsync();
        var tomorrow = Today.AddDays(1);
        await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);
        await store.Ledger.AppendAsync("kid", "phone", 2, Today, 60, Start.AddMinutes(1), Break);
        await store.Ledger.AppendAsync("kid", "phone", 3, tomorrow, 25, Start.AddDays(1), Break);

        (await store.Ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(120);
        (await store.Ledger.GetDayAsync("kid", tomorrow)).Seconds.Should().Be(25);
        (await store.Ledger.GetDayAsync("kid", Today.AddDays(2))).Seconds.Should().Be(0);
    }

    [Fact]
    public async Task Ledger_ConcurrentHeartbeatsFromFourDevices_AddUpExactly()
    {
        await using var store = await CreateStoreAsync();
        const int Devices = 4;
        const int PerDevice = 50;
        const int Seconds = 7;

        // Every device's stream is sent twice at once, so retries race with the originals too.
        var counts = await InParallelAsync(Devices * 2, async sender =>
        {
            var counted = 0;
            for (var sequence = 1; sequence <= PerDevice; sequence++)
            {
                var (wasCounted, _) = await store.Ledger.AppendAsync("kid", $"device-{sender % Devices}", sequence, Today, Seconds, Start, Break);
                counted += wasCounted ? 1 : 0;
            }

            return counted;
        });

        counts.Sum().Should().Be(Devices * PerDevice, "each (device, sequence) is counted exactly once");
        var day = await store.Ledger.GetDayAsync("kid", Today);
        day.Seconds.Should().Be(Devices * PerDevice * Seconds);
        day.ContinuousSeconds.Should().Be(Devices * PerDevice * Seconds);
    }

    [Fact]
    public async Task Ledger_ParallelHeartbeatsOfOneSubject_EachAnswerIsTheDayRightAfterItself()
    {
        await using var store = await CreateStoreAsync();
        const int Heartbeats = 64;

        // Stores may commit concurrent heartbeats together; each caller must still get the day as its own heartbeat left it.
        var answers = await Task.WhenAll(Enumerable.Range(1, Heartbeats).Select(i =>
            Task.Run(() => store.Ledger.AppendAsync("kid", $"device-{i % 4}", i, Today, 1, Start.AddSeconds(i), Break))));

        answers.Should().OnlyContain(a => a.Counted);
        answers.Select(a => a.Day.Seconds).Should().BeEquivalentTo(Enumerable.Range(1, Heartbeats).Select(i => (long)i),
            "the heartbeats are counted one after another, so the totals the callers see are 1, 2, … with none repeated");
        (await store.Ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(Heartbeats);
    }

    [Fact]
    public async Task Ledger_OneHeartbeatSentManyTimesInParallel_IsCountedForExactlyOneCaller()
    {
        await using var store = await CreateStoreAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            Task.Run(() => store.Ledger.AppendAsync("kid", "phone", 7, Today, 30, Start, Break))));

        answers.Count(a => a.Counted).Should().Be(1);
        answers.Should().OnlyContain(a => a.Day.Seconds == 30, "a retry sees the day that already holds the original");
        (await store.Ledger.GetDayAsync("kid", Today)).Should().Be(new UsageDay(30, 30, Start));
    }

    [Fact]
    public async Task Ledger_GapLongerThanBreak_RestartsContinuousUse()
    {
        await using var store = await CreateStoreAsync();
        await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);
        var (_, beforeBreak) = await store.Ledger.AppendAsync("kid", "phone", 2, Today, 60, Start.AddMinutes(1), Break);

        var afterBreakAt = Start.AddMinutes(1) + Break + TimeSpan.FromSeconds(1);
        var (_, afterBreak) = await store.Ledger.AppendAsync("kid", "phone", 3, Today, 60, afterBreakAt, Break);

        beforeBreak.ContinuousSeconds.Should().Be(120);
        afterBreak.Should().Be(new UsageDay(180, 60, afterBreakAt), "the day's total keeps counting while continuous use starts again");
    }

    [Fact]
    public async Task Ledger_GapExactlyTheBreak_KeepsContinuousUse()
    {
        await using var store = await CreateStoreAsync();
        await store.Ledger.AppendAsync("kid", "phone", 1, Today, 60, Start, Break);

        var (_, day) = await store.Ledger.AppendAsync("kid", "tablet", 1, Today, 60, Start + Break, Break);

        day.ContinuousSeconds.Should().Be(120);
    }

    [Fact]
    public async Task Guardian_Save_IsListedWithItsPinHash()
    {
        await using var store = await CreateStoreAsync();
        var binding = new GuardianBinding("kid", "mum", new PinHash([1, 2, 3, 4], [9, 8, 7, 6, 5], 100_000), Start);

        await store.Guardians.SaveAsync(binding);

        (await store.Guardians.GetForSubjectAsync("kid")).Should().ContainSingle().Which.Should().BeEquivalentTo(binding);
    }

    [Fact]
    public async Task Guardian_SaveSameGuardianAgain_ReplacesTheBinding()
    {
        await using var store = await CreateStoreAsync();
        await store.Guardians.SaveAsync(new GuardianBinding("kid", "mum", new PinHash([1], [1], 100_000), Start));
        var replacement = new GuardianBinding("kid", "mum", new PinHash([2, 2], [3, 3], 200_000), Start.AddHours(1));

        await store.Guardians.SaveAsync(replacement);

        (await store.Guardians.GetForSubjectAsync("kid")).Should().ContainSingle().Which.Should().BeEquivalentTo(replacement);
    }

    [Fact]
    public async Task Guardian_List_IsOrderedByGuardianIdOrdinalAndOnlyForTheSubject()
    {
        await using var store = await CreateStoreAsync();
        foreach (var guardian in new[] { "b", "A", "a" })
        {
            await store.Guardians.SaveAsync(new GuardianBinding("kid", guardian, new PinHash([1], [2], 100_000), Start));
        }

        await store.Guardians.SaveAsync(new GuardianBinding("other-kid", "0", new PinHash([1], [2], 100_000), Start));

        (await store.Guardians.GetForSubjectAsync("kid")).Select(b => b.GuardianId).Should().Equal("A", "a", "b");
        (await store.Guardians.GetForSubjectAsync("nobody")).Should().BeEmpty();
    }

    [Fact]
    public async Task Content_UpsertThenGet_ReturnsEveryField()
    {
        await using var store = await CreateStoreAsync();
        var item = new ContentItem("v1", "认识颜色", "education", [new AgeBand(3, 8), new AgeBand(0, 3)], MayAffectMinors: true);
        var outside = new ContentItem("v2", "Adults only", "news", []);

        await store.Content.UpsertAsync([item, outside]);

        (await store.Content.GetAsync("v1")).Should().BeEquivalentTo(item, o => o.WithStrictOrdering());
        (await store.Content.GetAsync("v2")).Should().BeEquivalentTo(outside);
        (await store.Content.GetAsync("v3")).Should().BeNull();
    }

    [Fact]
    public async Task Content_UpsertExistingId_ReplacesTheItem()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync([new ContentItem("v1", "Old", "education", [new AgeBand(3, 8)])]);
        var replacement = new ContentItem("v1", "New", "science", [new AgeBand(12, 16)], MayAffectMinors: true);

        await store.Content.UpsertAsync([replacement]);

        (await store.Content.GetAsync("v1")).Should().BeEquivalentTo(replacement);
        (await store.Content.QueryAsync(new ContentQuery(10))).Should().ContainSingle();
    }

    [Fact]
    public async Task Content_List_IsOrderedByIdOrdinalAfterTheCursor()
    {
        await using var store = await CreateStoreAsync();

        // U+FF21 sorts after the surrogate pair of U+1F600 in UTF-16 (ordinal) order but before it in UTF-8 order.
        string[] ids = ["b", "\uFF21", "a", "A9", "\U0001F600", "B", "A10"];
        await store.Content.UpsertAsync(ids.Select(id => new ContentItem(id, id, "education", [new AgeBand(8, 12)])));

        var all = await store.Content.QueryAsync(new ContentQuery(100));
        var afterB = await store.Content.QueryAsync(new ContentQuery(100) { AfterId = "B" });
        var afterMissingId = await store.Content.QueryAsync(new ContentQuery(2) { AfterId = "A5" });

        all.Select(i => i.Id).Should().Equal("A10", "A9", "B", "a", "b", "\U0001F600", "\uFF21");
        afterB.Select(i => i.Id).Should().Equal("a", "b", "\U0001F600", "\uFF21");
        afterMissingId.Select(i => i.Id).Should().Equal("A9", "B");
    }

    [Fact]
    public async Task Content_QueryWithFilter_FillsThePageFromLaterRows()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync(Enumerable.Range(0, 300).Select(n => Numbered(n) with { Category = n >= 250 ? "science" : "education" }));

        // The first 250 rows are all rejected: a store must keep reading rather than return a short page.
        var page = await store.Content.QueryAsync(new ContentQuery(5) { Category = "science" });

        page.Select(i => i.Id).Should().Equal("item-250", "item-251", "item-252", "item-253", "item-254");
    }

    [Fact]
    public async Task Content_PagingWithCursorAndFilter_ReturnsEveryMatchOnceInOrder()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync(Enumerable.Range(0, 100).Select(Numbered));
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;

        while (true)
        {
            var page = await store.Content.QueryAsync(new ContentQuery(4) { AfterId = cursor, ServableTo = new AgeBand(8, 12) });
            page.Count.Should().BeLessThanOrEqualTo(4);
            seen.AddRange(page.Select(i => i.Id));
            if (page.Count < 4)
            {
                break;
            }

            cursor = page[^1].Id;
            pages++;
            pages.Should().BeLessThan(100, "paging must end");
        }

        seen.Should().Equal(Enumerable.Range(0, 100).Where(n => n % 3 == 0).Select(n => $"item-{n:000}"));
    }

    [Fact]
    public async Task Content_ListWithZeroLimit_ReturnsNothing()
    {
        await using var store = await CreateStoreAsync();
        await store.Content.UpsertAsync([Numbered(1)]);

        (await store.Content.QueryAsync(new ContentQuery(0))).Should().BeEmpty();
    }

    [Fact]
    public async Task Report_AddNewKey_IsCreatedAndReadableById()
    {
        await using var store = await CreateStoreAsync();
        var record = Report("rpt-1", "key-1", new ReportSubmission(ReporterKind.Guardian, "mum", ReportCategory.Bullying, "user", "u-42", "说了很难听的话"));

        var (stored, created) = await store.Reports.AddOrGetAsync(record);

        created.Should().BeTrue();
        stored.Should().Be(record);
        (await store.Reports.GetAsync("rpt-1")).Should().Be(record);
    }

    [Fact]
    public async Task Report_AnonymousWithoutDescription_RoundTripsNulls()
    {
        await using var store = await CreateStoreAsync();
        var record = Report("rpt-1", "key-1", new ReportSubmission(ReporterKind.Anonymous, null, ReportCategory.Other, "content", "v9", null));

        await store.Reports.AddOrGetAsync(record);

        (await store.Reports.GetAsync("rpt-1")).Should().Be(record);
    }

    [Fact]
    public async Task Report_AddSameKeyAgain_ReturnsTheFirstAndStoresNothingNew()
    {
        await using var store = await CreateStoreAsync();
        var first = Report("rpt-1", "key-1", new ReportSubmission(ReporterKind.Minor, "kid", ReportCategory.HarmfulContent, "content", "v1", null));
        await store.Reports.AddOrGetAsync(first);
        var second = Report("rpt-2", "key-1", new ReportSubmission(ReporterKind.Minor, "kid", ReportCategory.Fraud, "content", "v2", null)) with { RequestHash = "other" };

        var (stored, created) = await store.Reports.AddOrGetAsync(second);

        created.Should().BeFalse();
        stored.Should().Be(first);
        (await store.Reports.GetAsync("rpt-2")).Should().BeNull();
    }

    [Fact]
    public async Task Report_SixteenConcurrentCallersWithOneKey_GetOneCreatedAndTheSameRecord()
    {
        await using var store = await CreateStoreAsync();
        var submission = new ReportSubmission(ReporterKind.Minor, "kid", ReportCategory.HarmfulContent, "content", "v1", "scary");

        var results = await InParallelAsync(16, n => store.Reports.AddOrGetAsync(Report($"rpt-{n}", "shared-key", submission)));

        results.Count(r => r.Created).Should().Be(1);
        var winner = results.Single(r => r.Created).Stored;
        results.Select(r => r.Stored.Id).Should().AllBe(winner.Id);
        (await store.Reports.GetAsync(winner.Id)).Should().Be(winner);
        foreach (var loser in Enumerable.Range(0, 16).Select(n => $"rpt-{n}").Where(id => id != winner.Id))
        {
            (await store.Reports.GetAsync(loser)).Should().BeNull();
        }
    }

    [Fact]
    public async Task Report_GetUnknown_ReturnsNull()
    {
        await using var store = await CreateStoreAsync();

        (await store.Reports.GetAsync("rpt-missing")).Should().BeNull();
    }

    /// <summary>
    /// Runs <paramref name="count"/> callers released at the same moment, each on its own thread, so even a
    /// store whose async methods complete synchronously sees truly simultaneous calls.
    /// </summary>
    private static async Task<T[]> InParallelAsync<T>(int count, Func<int, Task<T>> call)
    {
        using var start = new Barrier(count);
        var callers = Enumerable.Range(0, count).Select(n => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return call(n);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        return await Task.WhenAll(callers);
    }

    private static ContentItem Numbered(int n) =>
        new($"item-{n:000}", $"Item {n}", "education", n % 3 == 0 ? [new AgeBand(8, 12), new AgeBand(12, 16)] : [new AgeBand(3, 8)]);

    private static ReportRecord Report(string id, string key, ReportSubmission submission) =>
        new(id, key, "hash-" + key, submission, ReportStatus.Received, Start.AddTicks(1234567));
}
