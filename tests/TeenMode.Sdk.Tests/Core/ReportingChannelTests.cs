using TeenMode.Reporting;

namespace TeenMode.Tests.Core;

public sealed class ReportingChannelTests
{
    private static readonly ReportSubmission Submission =
        new(ReporterKind.Minor, "kid", ReportCategory.HarmfulContent, "content", "v9001", "危险动作");

    [Fact]
    public async Task FileReport_NewKey_ReturnsAReceiptStampedByTheClock()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));

        var filing = await host.Reports.FileAsync(Submission, "key-1");

        filing.Refusal.Should().BeNull();
        filing.Replayed.Should().BeFalse();
        filing.Receipt!.Status.Should().Be(ReportStatus.Received);
        filing.Receipt.ReceivedAt.Should().Be(TeenModeHost.Local(2026, 3, 6, 10));
        var stored = await host.Reports.GetAsync(filing.Receipt.ReportId);
        stored!.Submission.Should().Be(Submission);
    }

    [Fact]
    public async Task FileReport_SameKeyAndSameBody_ReplaysTheSameReceipt()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        var first = await host.Reports.FileAsync(Submission, "key-1");
        host.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await host.Reports.FileAsync(Submission with { }, "key-1");

        again.Replayed.Should().BeTrue();
        again.Receipt.Should().Be(first.Receipt);
    }

    [Fact]
    public async Task FileReport_SameKeyOtherBody_IsRefusedAsKeyReused()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));
        var first = await host.Reports.FileAsync(Submission, "key-1");

        var other = await host.Reports.FileAsync(Submission with { Description = "something else" }, "key-1");

        other.Receipt.Should().BeNull();
        other.Refusal!.Reason.Should().Be(ReasonCode.IdempotencyKeyReused);
        (await host.Reports.GetAsync(first.Receipt!.ReportId))!.Submission.Description.Should().Be("危险动作");
    }

    [Fact]
    public async Task GetReport_UnknownId_IsNull()
    {
        using var host = new TeenModeHost(TeenModeHost.Local(2026, 3, 6, 10));

        (await host.Reports.GetAsync("rpt_missing")).Should().BeNull();
    }
}
