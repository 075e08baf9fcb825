using TeenMode.AntiAddiction;

namespace TeenMode.Storage;

// Game spending (issue 3): one lock makes check-and-add atomic, so concurrent top-ups never pass the cap together.
public sealed partial class InMemoryTeenModeStore : IGameSpendLedgerStore
{
    private readonly Dictionary<(string Subject, string Company, string Month), decimal> _gameSpend = [];
    private readonly Lock _gameSpendLock = new();

    /// <inheritdoc />
    public Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
        decimal? monthlyCap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        ArgumentNullException.ThrowIfNull(gameCompanyId);
        ArgumentNullException.ThrowIfNull(month);
        lock (_gameSpendLock)
        {
            var key = (subjectId, gameCompanyId, month);
            var total = _gameSpend.GetValueOrDefault(key);
            if (monthlyCap is { } cap && total + amount > cap)
            {
                return Task.FromResult((false, total));
            }

            _gameSpend[key] = total + amount;
            return Task.FromResult((true, total + amount));
        }
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
