using TeenMode.Spending;

namespace TeenMode.Storage;

/// <summary>Spending outside games and refunds in process memory (tests and demos only): one lock makes check-and-record atomic, so concurrent payments never pass a cap together.</summary>
internal sealed class InMemorySpendingLedgerStore : ISpendingLedgerStore
{
    private readonly Lock _spendingLock = new();
    private readonly List<SpendRecord> _spends = [];
    private readonly Dictionary<string, int> _spendIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefundRequest> _refunds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refundBySpend = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<SpendAttempt> TryRecordSpendAsync(SpendRecord spend, SpendLimit limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spend);
        lock (_spendingLock)
        {
            if (spend.IdempotencyKey is { } key
                && _spends.FirstOrDefault(s => s.SubjectId == spend.SubjectId && s.IdempotencyKey == key) is { } first)
            {
                var same = first.Category == spend.Category && first.Amount == spend.Amount && first.ItemId == spend.ItemId;
                var totals = TotalsLocked(first.SubjectId, first.Category, first.LocalDate, first.Month);
                return Task.FromResult(same
                    ? new SpendAttempt(first, totals, Replayed: true)
                    : new SpendAttempt(null, totals, KeyConflict: true));
            }

            var before = TotalsLocked(spend.SubjectId, spend.Category, spend.LocalDate, spend.Month);
            if (!limit.Admits(before, spend.Amount))
            {
                return Task.FromResult(new SpendAttempt(null, before));
            }

            var stored = spend with { RefundedAt = null };
            _spendIndex[stored.Id] = _spends.Count;
            _spends.Add(stored);
            return Task.FromResult(new SpendAttempt(stored, new SpendTotals(before.Day + spend.Amount, before.Month + spend.Amount)));
        }
    }

    /// <inheritdoc />
    public Task<SpendTotals> GetTotalsAsync(string subjectId, string category, DateOnly localDate, string month, CancellationToken cancellationToken = default)
    {
        lock (_spendingLock)
        {
            return Task.FromResult(TotalsLocked(subjectId, category, localDate, month));
        }
    }

    /// <inheritdoc />
    public Task<SpendRecord?> GetSpendAsync(string spendId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spendId);
        lock (_spendingLock)
        {
            return Task.FromResult(_spendIndex.TryGetValue(spendId, out var i) ? _spends[i] : null);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SpendRecord>> ListSpendsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_spendingLock)
        {
            IReadOnlyList<SpendRecord> list = [.. _spends.Where(s => s.SubjectId == subjectId && s.SpentAt >= since && s.SpentAt < until).OrderBy(s => s.SpentAt)];
            return Task.FromResult(list);
        }
    }

    /// <inheritdoc />
    public Task<(RefundRequest Stored, bool Created)> AddRefundRequestAsync(RefundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_spendingLock)
        {
            if (_refundBySpend.TryGetValue(request.SpendId, out var existing))
            {
                return Task.FromResult((_refunds[existing], false));
            }

            _refunds[request.Id] = request;
            _refundBySpend[request.SpendId] = request.Id;
            return Task.FromResult((request, true));
        }
    }

    /// <inheritdoc />
    public Task<RefundRequest?> GetRefundRequestAsync(string refundId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        lock (_spendingLock)
        {
            return Task.FromResult(_refunds.GetValueOrDefault(refundId));
        }
    }

    /// <inheritdoc />
    public Task<RefundRequest?> DecideRefundAsync(string refundId, RefundStatus status, string decidedBy, string? reason, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refundId);
        if (status == RefundStatus.Pending)
        {
            throw new ArgumentException("A decision approves or refuses.", nameof(status));
        }

        lock (_spendingLock)
        {
            if (!_refunds.TryGetValue(refundId, out var current) || current.Status != RefundStatus.Pending)
            {
                return Task.FromResult<RefundRequest?>(null);
            }

            var decided = current with { Status = status, DecidedAt = at, DecidedBy = decidedBy, DecisionReason = reason };
            _refunds[refundId] = decided;
            if (status == RefundStatus.Approved && _spendIndex.TryGetValue(current.SpendId, out var i) && _spends[i].RefundedAt is null)
            {
                _spends[i] = _spends[i] with { RefundedAt = at };
            }

            return Task.FromResult<RefundRequest?>(decided);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RefundRequest>> ListRefundRequestsAsync(string subjectId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_spendingLock)
        {
            IReadOnlyList<RefundRequest> list = [.. _refunds.Values.Where(r => r.SubjectId == subjectId && r.FiledAt >= since && r.FiledAt < until).OrderBy(r => r.FiledAt)];
            return Task.FromResult(list);
        }
    }

    private SpendTotals TotalsLocked(string subjectId, string category, DateOnly localDate, string month)
    {
        decimal day = 0, total = 0;
        foreach (var s in _spends)
        {
            if (s.SubjectId == subjectId && s.Category == category && s.Month == month && s.RefundedAt is null)
            {
                total += s.Amount;
                if (s.LocalDate == localDate)
                {
                    day += s.Amount;
                }
            }
        }

        return new SpendTotals(day, total);
    }
}
