using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using TeenMode.Audit;
using Xunit;

namespace TeenMode.Testing;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Audit_AppendedEntries_ReadBackInOrder_WithEveryField_AndVerify()
    {
        await using var store = await CreateStoreAsync();
        var log = new AuditLog(store.Audit, new FakeTimeProvider(Start));

        await log.AppendAsync(new AuditEvent("guardian:g1", "teen-mode-exited", "kid", null, new Dictionary<string, string> { ["method"] = "pin", ["attempt"] = "1" }));
        await log.AppendAsync(new AuditEvent("system", "report-filed", null, "rpt-1"));
        await log.AppendAsync(new AuditEvent("reviewer:r1", "rating-changed", "kid", "item-7"));

        var all = await store.Audit.ReadAsync(0, 10);
        all.Select(e => e.Sequence).Should().Equal(1, 2, 3);
        all[0].Event.Details.Should().BeEquivalentTo(new Dictionary<string, string> { ["attempt"] = "1", ["method"] = "pin" });
        all[0].At.Should().Be(Start);
        all[1].Event.SubjectId.Should().BeNull();
        all[1].Event.Target.Should().Be("rpt-1");
        all[1].PreviousHash.Should().Be(all[0].Hash);
        (await store.Audit.ReadAsync(0, 10, "kid")).Select(e => e.Sequence).Should().Equal(1, 3);
        (await store.Audit.ReadAsync(1, 1)).Single().Sequence.Should().Be(2);
        (await store.Audit.GetLastAsync())!.Sequence.Should().Be(3);
        (await log.VerifyAsync()).Should().Be(new AuditVerification(true, 3, null, null));
    }

    [Fact]
    public async Task Audit_TakenOrSkippedSequence_IsRefused()
    {
        await using var store = await CreateStoreAsync();
        var first = AuditChain.Next(null, new AuditEvent("system", "a"), Start);
        (await store.Audit.TryAppendAsync(first)).Should().BeTrue();

        var rival = AuditChain.Next(null, new AuditEvent("system", "b"), Start);
        var gap = AuditChain.Next(AuditChain.Next(first, new AuditEvent("system", "c"), Start), new AuditEvent("system", "d"), Start);

        (await store.Audit.TryAppendAsync(rival)).Should().BeFalse("sequence 1 is taken");
        (await store.Audit.TryAppendAsync(gap)).Should().BeFalse("sequence 3 would leave a gap");
        (await store.Audit.ReadAsync(0, 10)).Should().ContainSingle().Which.Event.Action.Should().Be("a");
    }

    [Fact]
    public async Task Audit_ConcurrentAppendsFromTwoLogInstances_StayAGapFreeValidChain()
    {
        await using var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(Start);
        var a = new AuditLog(store.Audit, time);
        var b = new AuditLog(store.Audit, time);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).AppendAsync(new AuditEvent("system", "tick", Target: i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));

        (await store.Audit.ReadAsync(0, 100)).Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 20).Select(i => (long)i));
        (await a.VerifyAsync()).Valid.Should().BeTrue();
    }
}
