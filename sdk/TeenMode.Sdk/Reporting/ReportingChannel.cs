using System.Security.Cryptography;
using System.Text;

namespace TeenMode.Reporting;

internal sealed class ReportingChannel(IReportStore store, TimeProvider time) : IReportingChannel
{
    public async Task<ReportFiling> FileAsync(ReportSubmission submission, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        var hash = Hash(submission);
        var record = new ReportRecord("rpt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), idempotencyKey, hash,
            submission, ReportStatus.Received, time.GetUtcNow());
        var (stored, created) = await store.AddOrGetAsync(record, cancellationToken).ConfigureAwait(false);
        if (!created && !string.Equals(stored.RequestHash, hash, StringComparison.Ordinal))
        {
            return new ReportFiling(null, false, Decision.Deny(ReasonCode.IdempotencyKeyReused));
        }

        return new ReportFiling(new ReportReceipt(stored.Id, stored.Status, stored.ReceivedAt), !created, null);
    }

    public Task<ReportRecord?> GetAsync(string reportId, CancellationToken cancellationToken = default) =>
        store.GetAsync(reportId, cancellationToken);

    private static string Hash(ReportSubmission s)
    {
        var canonical = string.Join('\u001f', s.ReporterKind, s.ReporterId, s.Category, s.TargetKind, s.TargetId, s.Description);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
