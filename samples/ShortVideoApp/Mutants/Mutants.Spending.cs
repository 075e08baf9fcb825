using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.Rules;
using TeenMode.Spending;
using TeenMode.Sqlite;

namespace ShortVideoApp;

// Spending and refund mutants (issue 3): each breaks one rule by wrapping the SDK's own policy, ledger or refund desk.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] SpendingMutants =>
    [
        new("spend-transaction-cap-ignored", "A single payment may be as large as the daily cap.", ["AA-SPEND-TRANSACTION"]),
        new("spend-daily-cap-ignored", "Payments are checked against the monthly cap only, never the day's total.", ["AA-SPEND-DAILY"]),
        new("spend-day-in-utc", "Spending days are counted in UTC, so the daily cap resets at 08:00 Beijing time, not at midnight.", ["AA-SPEND-DAILY"]),
        new("spend-monthly-cap-ignored", "Payments are checked per transaction and per day, never against the month's total.", ["AA-SPEND-MONTHLY"]),
        new("tipping-allowed", "A zero cap (live-streaming tips) is read as 'no cap': minors may tip.", ["AA-SPEND-TIPPING"]),
        new("refund-not-idempotent", "Every refund filing creates a new request, even for the same spend.", ["PC-REFUND-RECEIPT"]),
        new("refund-refusal-without-reason", "A refund may be refused without a written reason.", ["PC-REFUND-REFUSAL"]),
        new("guardian-spend-caps-ignored", "A guardian's lower spending cap is stored but payments are checked against the pack's caps only.", ["PC-GUARDIAN-SPEND-CAP"]),
    ];

    private static bool TryApplySpending(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "spend-transaction-cap-ignored" or "spend-daily-cap-ignored" or "spend-monthly-cap-ignored" or "tipping-allowed":
                // The core computes the caps once and hands them to the policy and, as a limit, to the store's conditional
                // write: a wrong cap has to come from the caps source to reach both.
                var caps = services.Last(d => d.ServiceType == typeof(ISpendingCapsSource)).ImplementationType!;
                services.Replace(ServiceDescriptor.Singleton<ISpendingCapsSource>(sp =>
                    new BrokenCapsSource((ISpendingCapsSource)ActivatorUtilities.CreateInstance(sp, caps), name)));
                return true;
            case "spend-day-in-utc":
                services.Replace(ServiceDescriptor.Singleton<ISpendingLedgerStore>(sp => new UtcDayLedger(sp.GetRequiredService<SqliteSpendingLedgerStore>())));
                return true;
            case "refund-not-idempotent":
                services.Replace(ServiceDescriptor.Singleton<ISpendingLedgerStore>(sp => new ForgetfulRefundLedger(sp.GetRequiredService<SqliteSpendingLedgerStore>())));
                return true;
            case "guardian-spend-caps-ignored":
                services.Replace(ServiceDescriptor.Singleton<ISpendingCapsSource>(sp => new RulePackSpendingCapsSource(sp.GetRequiredService<RulePack>())));
                return true;
            case "refund-refusal-without-reason":
                // The SDK's desk is internal: build it as the container would, then wrap it.
                var desk = services.Last(d => d.ServiceType == typeof(IRefundDesk)).ImplementationType!;
                services.Replace(ServiceDescriptor.Singleton<IRefundDesk>(sp => new ReasonlessRefundDesk((IRefundDesk)ActivatorUtilities.CreateInstance(sp, desk))));
                return true;
            default:
                return false;
        }
    }

    private sealed class BrokenCapsSource(ISpendingCapsSource inner, string fault) : ISpendingCapsSource
    {
        public async Task<SpendingCaps> GetCapsAsync(string subjectId, AgeBand band, string category, CancellationToken cancellationToken = default)
        {
            var caps = await inner.GetCapsAsync(subjectId, band, category, cancellationToken);
            return fault switch
            {
                "spend-transaction-cap-ignored" => caps with { PerTransaction = caps.PerDay },
                "spend-daily-cap-ignored" => caps with { PerDay = caps.PerMonth },
                "spend-monthly-cap-ignored" => caps with { PerMonth = decimal.MaxValue / 2 },
                "tipping-allowed" when caps.NoSpending => caps with { PerTransaction = 1000m, PerDay = 1000m, PerMonth = 1000m },
                _ => caps,
            };
        }
    }

    private sealed class ForgetfulRefundLedger(ISpendingLedgerStore inner) : LedgerDecorator(inner)
    {
        public override async Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default)
        {
            // Stored under a spend id of its own, so the one-request-per-spend rule never finds the earlier filing.
            var (stored, created) = await Inner.AddRefundRequestAsync(request with { SpendId = request.SpendId + "#" + request.Id }, cancellationToken);
            return (stored with { SpendId = request.SpendId }, created);
        }
    }

    private sealed class UtcDayLedger(ISpendingLedgerStore inner) : LedgerDecorator(inner)
    {
        public override Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default) =>
            Inner.TryRecordSpendAsync(spend with { LocalDate = DateOnly.FromDateTime(spend.SpentAt.UtcDateTime) }, limit, cancellationToken);
    }

    private abstract class LedgerDecorator(ISpendingLedgerStore inner) : ISpendingLedgerStore
    {
        protected ISpendingLedgerStore Inner => inner;

        public virtual Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default) =>
            inner.AddRefundRequestAsync(request, cancellationToken);

        public virtual Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default) =>
            inner.TryRecordSpendAsync(spend, limit, cancellationToken);

        public Task<SpendTotals> GetTotalsAsync(string subjectId, string category, DateOnly localDate, string month, CancellationToken cancellationToken = default) =>
            inner.GetTotalsAsync(subjectId, category, localDate, month, cancellationToken);

        public Task<SpendRecord?> GetSpendAsync(string spendId, CancellationToken cancellationToken = default) => inner.GetSpendAsync(spendId, cancellationToken);

        public Task<IReadOnlyList<SpendRecord>> ListSpendsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
            inner.ListSpendsAsync(subjectId, since, until, cancellationToken);

        public Task<RefundRequest?> GetRefundRequestAsync(string refundId, CancellationToken cancellationToken = default) =>
            inner.GetRefundRequestAsync(refundId, cancellationToken);

        public Task<RefundRequest?> DecideRefundAsync(string refundId, RefundStatus status, string decidedBy, string? reason, DateTimeOffset at,
            CancellationToken cancellationToken = default) =>
            inner.DecideRefundAsync(refundId, status, decidedBy, reason, at, cancellationToken);

        public Task<IReadOnlyList<RefundRequest>> ListRefundRequestsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default) =>
            inner.ListRefundRequestsAsync(subjectId, since, until, cancellationToken);
    }

    private sealed class ReasonlessRefundDesk(IRefundDesk inner) : IRefundDesk
    {
        public Task<RefundResult> FileAsync(string subjectId, string spendId, string guardianId, string? reason, CancellationToken cancellationToken = default) =>
            inner.FileAsync(subjectId, spendId, guardianId, reason, cancellationToken);

        public Task<RefundResult> ApproveAsync(string refundId, string decidedBy, string? note = null, CancellationToken cancellationToken = default) =>
            inner.ApproveAsync(refundId, decidedBy, note, cancellationToken);

        public Task<RefundResult> RefuseAsync(string refundId, string decidedBy, string? reason, CancellationToken cancellationToken = default) =>
            inner.RefuseAsync(refundId, decidedBy, string.IsNullOrWhiteSpace(reason) ? "-" : reason, cancellationToken);

        public Task<RefundRequest?> GetAsync(string refundId, CancellationToken cancellationToken = default) => inner.GetAsync(refundId, cancellationToken);
    }
}
