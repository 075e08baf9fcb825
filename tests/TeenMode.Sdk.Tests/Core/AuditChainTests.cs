using FluentAssertions;
using TeenMode.Audit;
using Xunit;

namespace TeenMode.Tests.Core;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 6, 2, 0, 0, TimeSpan.Zero);

    private static List<AuditEntry> Chain(int length)
    {
        var list = new List<AuditEntry>();
        for (var i = 0; i < length; i++)
        {
            list.Add(AuditChain.Next(list.LastOrDefault(), new AuditEvent("guardian:g1", "setting-changed", "kid", "daily-minutes",
                new Dictionary<string, string> { ["to"] = (40 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) }), At.AddMinutes(i)));
        }

        return list;
    }

    [Fact]
    public void UntouchedChain_Verifies()
    {
        AuditChain.Verify(Chain(5)).Should().Be(new AuditVerification(true, 5, null, null));
    }

    [Fact]
    public void ChangedDetail_IsDetectedAtThatEntry()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Event = chain[2].Event with { Details = new Dictionary<string, string> { ["to"] = "240" } } };

        var result = AuditChain.Verify(chain);

        result.Valid.Should().BeFalse();
        result.FirstBrokenSequence.Should().Be(3);
        result.Problem.Should().Contain("changed");
    }

    [Fact]
    public void RewrittenEntryWithFreshHash_BreaksTheNextLink()
    {
        var chain = Chain(5);
        var forged = chain[1] with { Event = chain[1].Event with { Actor = "guardian:g2" } };
        chain[1] = forged with { Hash = AuditChain.ComputeHash(forged.Sequence, forged.At, forged.Event, forged.PreviousHash) };

        AuditChain.Verify(chain).FirstBrokenSequence.Should().Be(3);
    }

    [Fact]
    public void RemovedEntry_IsDetected()
    {
        var chain = Chain(5);
        chain.RemoveAt(3);

        var result = AuditChain.Verify(chain);

        result.FirstBrokenSequence.Should().Be(5);
        result.Problem.Should().Contain("missing");
    }

    [Fact]
    public void DetailOrder_DoesNotChangeTheHash()
    {
        var a = AuditChain.Next(null, new AuditEvent("x", "y", Details: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), At);
        var b = AuditChain.Next(null, new AuditEvent("x", "y", Details: new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" }), At);

        a.Hash.Should().Be(b.Hash);
    }

    [Fact]
    public void FieldBoundaries_CannotBeShifted()
    {
        var a = AuditChain.Next(null, new AuditEvent("ab", "c"), At);
        var b = AuditChain.Next(null, new AuditEvent("a", "bc"), At);

        a.Hash.Should().NotBe(b.Hash);
    }
}
