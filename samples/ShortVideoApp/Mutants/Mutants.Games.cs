using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode;
using TeenMode.AntiAddiction;
using TeenMode.Rules;
using TeenMode.Sqlite;

namespace ShortVideoApp;

// Online-game mutants (issue 3): each breaks one NPPA rule by wrapping the SDK's own policy or ledger.
public static partial class Mutants
{
    // A property, not a field: Mutants.All (another partial file) reads it during static initialisation.
    private static MutantInfo[] GameMutants =>
    [
        new("game-window-hours-ignored", "Games may be played at any hour of a play day.", ["AA-GAME-WINDOW"]),
        new("game-calendar-ignored", "Play days follow the weekday only: make-up workdays are played, holiday weekdays are not.", ["AA-GAME-WINDOW"]),
        new("game-under-8-pays", "Children under 8 may top up like 8- to 16-year-olds.", ["AA-GAME-SPEND"]),
        new("game-transaction-cap-ignored", "A single top-up may be as large as the monthly cap.", ["AA-GAME-SPEND"]),
        new("game-monthly-cap-ignored", "The spending ledger adds every top-up without checking the monthly cap.", ["AA-GAME-SPEND"]),
    ];

    private static bool TryApplyGames(IServiceCollection services, string name)
    {
        switch (name)
        {
            case "game-monthly-cap-ignored":
                services.Replace(ServiceDescriptor.Singleton<IGameSpendLedgerStore>(sp => new UncappedLedger(sp.GetRequiredService<SqliteGameSpendLedgerStore>())));
                return true;
            case "game-window-hours-ignored" or "game-calendar-ignored" or "game-under-8-pays" or "game-transaction-cap-ignored":
                services.Replace(ServiceDescriptor.Singleton<IGamePolicy>(sp => new BrokenGamePolicy(new GamePolicy(), sp.GetRequiredService<GameRulePack>(), name)));
                return true;
            default:
                return false;
        }
    }

    private sealed class BrokenGamePolicy(IGamePolicy inner, GameRulePack pack, string fault) : IGamePolicy
    {
        public Decision EvaluatePlay(GameRulePack rules, DateTime localNow)
        {
            var window = rules.PlayWindow;
            return fault switch
            {
                // Judge the day as if it were the window's first minute.
                "game-window-hours-ignored" => inner.EvaluatePlay(rules, localNow.Date + window.Start.ToTimeSpan()),
                "game-calendar-ignored" => window.Days.Contains(localNow.DayOfWeek) && TimeOnly.FromDateTime(localNow) is var t && t >= window.Start && t < window.End
                    ? Decision.Allow()
                    : Decision.Deny(ReasonCode.GameOutsidePlayWindow, window.RequirementIds),
                _ => inner.EvaluatePlay(rules, localNow),
            };
        }

        public Decision EvaluateTopUp(GameSpendingTier tier, decimal amount) => fault switch
        {
            "game-under-8-pays" when tier.NoPayment => inner.EvaluateTopUp(pack.Tiers.First(t => !t.NoPayment), amount),
            "game-transaction-cap-ignored" => inner.EvaluateTopUp(tier with { PerTopUp = tier.PerMonth }, amount),
            _ => inner.EvaluateTopUp(tier, amount),
        };
    }

    private sealed class UncappedLedger(IGameSpendLedgerStore inner) : IGameSpendLedgerStore
    {
        public Task<(bool Added, decimal Total)> TryAddSpendAsync(string subjectId, string gameCompanyId, string month, decimal amount,
            decimal? monthlyCap, CancellationToken cancellationToken = default) =>
            inner.TryAddSpendAsync(subjectId, gameCompanyId, month, amount, null, cancellationToken);

        public Task<GameSpendOutcome> TryAddSpendOnceAsync(string subjectId, string gameCompanyId, string month, decimal amount,
            decimal? monthlyCap, string idempotencyKey, CancellationToken cancellationToken = default) =>
            inner.TryAddSpendOnceAsync(subjectId, gameCompanyId, month, amount, null, idempotencyKey, cancellationToken);

        public Task<decimal> GetSpendAsync(string subjectId, string gameCompanyId, string month, CancellationToken cancellationToken = default) =>
            inner.GetSpendAsync(subjectId, gameCompanyId, month, cancellationToken);
    }
}
