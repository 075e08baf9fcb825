using TeenMode.AntiAddiction;

namespace TeenMode.Storage;

/// <summary>Game spending in process memory (tests and demos only): one lock makes check-and-add atomic, so concurrent top-ups never pass the cap together.</summary>
internal sealed class InMemoryGameSpendLedgerStore : IGameSpendLedgerStore
{
    private readonly Dictionary<(string Subject, string Company, string Month), decimal> _gameSpend = [];
    private readonly Lock _gameSpendLock = new();
    private readonly Dictionary<(string Subject, string Key), (string Company, string Month, decimal Amount, bool Added, decimal Total)> _gameTopUpKeys = [];

    /// <inheritdoc />
    public Task<GameSpendOutcome> TryAddSpendOnceAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        lock (_gameSpendLock)
        {
            if (_gameTopUpKeys.TryGetValue((subjectId, idempotencyKey), out var seen))
            {
                var same = seen.Company == gameCompanyId && seen.Month == month && seen.Amount == amount;
                return Task.FromResult(new GameSpendOutcome(same && seen.Added, seen.Total, Replayed: same, KeyConflict: !same));
            }

            var (added, total) = AddSpendLocked(subjectId, gameCompanyId, month, amount, monthlyCap);
            _gameTopUpKeys[(subjectId, idempotencyKey)] = (gameCompanyId, month, amount, added, total);
            return Task.FromResult(new GameSpendOutcome(added, total, Replayed: false, KeyConflict: false));
        }
    }

    /// <inheritdoc />
    public Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        lock (_gameSpendLock)
        {
            return Task.FromResult(AddSpendLocked(subjectId, gameCompanyId, month, amount, monthlyCap));
        }
    }

    private (bool Added, decimal Total) AddSpendLocked(string subjectId, string gameCompanyId, string month, decimal amount, decimal? monthlyCap)
    {
        var key = (subjectId, gameCompanyId, month);
        var total = _gameSpend.GetValueOrDefault(key);
        if (monthlyCap is { } cap && total + amount > cap)
        {
            return (false, total);
        }

        _gameSpend[key] = total + amount;
        return (true, total + amount);
    }

    /// <inheritdoc />
    public Task<decimal> GetSpendAsync(string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken = default)
    {
        lock (_gameSpendLock)
        {
            return Task.FromResult(_gameSpend.GetValueOrDefault((subjectId, gameCompanyId, month)));
        }
    }
}
