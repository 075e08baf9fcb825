using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.AntiAddiction;

internal sealed class GameGate(
    ISubjectStore subjects,
    IGameSpendLedgerStore ledger,
    IGamePolicy policy,
    GameRulePack pack,
    IAuditLog audit,
    TimeProvider time,
    BlockedAttemptRecorder blocked,
    FailClosed failClosed,
    ILogger<GameGate>? logger = null) : IGameGate
{
    private readonly ILogger _logger = logger ?? NullLogger<GameGate>.Instance;

    public Task<Decision> CheckPlayAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        return TeenModeTelemetry.GateAsync("game.play", pack.Id,
            () => failClosed.DecideAsync(ct => CheckPlayCoreAsync(subjectId, ct), _logger, "Game play check", cancellationToken));
    }

    private async Task<Decision> CheckPlayCoreAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return Decision.Deny(ReasonCode.UnknownSubject);
        }

        var now = time.GetUtcNow();
        var local = pack.ToLocal(now);
        var decision = RealNameMissing(subject) ?? Tier(subject, local) switch
        {
            (true, _) => new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None),
            (false, null) => Decision.Allow(),
            _ => policy.EvaluatePlay(pack, local),
        };
        blocked.RecordIfDenied(subject.Id, now, BlockedAttemptRecorder.GamePlay, decision);
        return decision;
    }

    public Task<GameTopUpResult> TopUpAsync(GameTopUp topUp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topUp);
        ArgumentException.ThrowIfNullOrWhiteSpace(topUp.SubjectId, nameof(topUp));
        ArgumentException.ThrowIfNullOrWhiteSpace(topUp.GameCompanyId, nameof(topUp));
        if (topUp.Amount <= 0 || decimal.Round(topUp.Amount, 2) != topUp.Amount)
        {
            throw new ArgumentException("The amount must be positive with at most two decimals.", nameof(topUp));
        }

        var local = pack.ToLocal(time.GetUtcNow());
        var month = local.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return TeenModeTelemetry.GateAsync("game.top_up", pack.Id, static r => r.Decision,
            () => failClosed.RunAsync(ct => TopUpCoreAsync(topUp, local, month, ct), () => new GameTopUpResult(Decision.Deny(ReasonCode.StoreUnavailable), month, null, null),
                _logger, "Game top-up", cancellationToken));
    }

    private async Task<GameTopUpResult> TopUpCoreAsync(GameTopUp topUp, DateTime local, string month, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(topUp.SubjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new GameTopUpResult(Decision.Deny(ReasonCode.UnknownSubject), month, null, null);
        }

        if (RealNameMissing(subject) is { } unverified)
        {
            blocked.RecordIfDenied(subject.Id, time.GetUtcNow(), BlockedAttemptRecorder.GameTopUp, unverified);
            return new GameTopUpResult(unverified, month, null, null);
        }

        var (teenModeOff, tier) = Tier(subject, local);
        Decision decision;
        if (tier is null)
        {
            // An adult, or teen mode off with no known age: no cap, and nothing is kept about their spending.
            decision = teenModeOff ? new Decision(Outcome.Allow, ReasonCode.TeenModeOff, [], DecisionDetails.None) : Decision.Allow();
            return new GameTopUpResult(decision, month, null, null);
        }

        decision = policy.EvaluateTopUp(tier, topUp.Amount);
        if (!decision.IsAllowed)
        {
            blocked.RecordIfDenied(subject.Id, time.GetUtcNow(), BlockedAttemptRecorder.GameTopUp, decision);
            var spent = tier.NoPayment ? (decimal?)null
                : await ledger.GetSpendAsync(subject.Id, topUp.GameCompanyId, month, cancellationToken).ConfigureAwait(false);
            return new GameTopUpResult(decision, month, spent, tier.PerMonth);
        }

        GameSpendOutcome outcome;
        using (TeenModeTelemetry.StartStore("game_spend_ledger.add", ledger))
        {
            outcome = topUp.IdempotencyKey is { } key
                ? await ledger.TryAddSpendOnceAsync(subject.Id, topUp.GameCompanyId, month, topUp.Amount, tier.PerMonth, key, cancellationToken).ConfigureAwait(false)
                : ToOutcome(await ledger.TryAddSpendAsync(subject.Id, topUp.GameCompanyId, month, topUp.Amount, tier.PerMonth, cancellationToken).ConfigureAwait(false));
        }

        var after = outcome.Total;
        if (outcome.KeyConflict)
        {
            return new GameTopUpResult(Decision.Deny(ReasonCode.IdempotencyKeyReused), month, after, tier.PerMonth);
        }

        if (!outcome.Added)
        {
            var overMonth = Decision.Deny(ReasonCode.SpendOverMonthlyCap, tier.RequirementIds);
            blocked.RecordIfDenied(subject.Id, time.GetUtcNow(), BlockedAttemptRecorder.GameTopUp, overMonth);
            return new GameTopUpResult(overMonth, month, after, tier.PerMonth);
        }

        if (outcome.Replayed)
        {
            // A retry of a top-up already counted (and audited): the same answer, nothing counted again.
            return new GameTopUpResult(decision, month, after, tier.PerMonth) { Replayed = true };
        }

        // Amounts and ids only: no names, no payment details.
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["amount"] = topUp.Amount.ToString("0.00", CultureInfo.InvariantCulture),
            ["currency"] = pack.Currency,
            ["month"] = month,
            ["monthTotal"] = after.ToString("0.00", CultureInfo.InvariantCulture),
        };
        try
        {
            await audit.AppendAsync(new AuditEvent("subject:" + subject.Id, "game-top-up", subject.Id, topUp.GameCompanyId, details), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The spend is already counted against the cap; refusing now would take the child's money off the cap for nothing.
            _logger.LogError(ex, "Audit log unavailable; the game top-up was counted but not audited.");
        }

        return new GameTopUpResult(decision, month, after, tier.PerMonth);
    }

    // No game service and no payment, in any form, to anyone not verified under a real identity (adults included):
    // pending, failed and never-checked all count as unverified.
    private Decision? RealNameMissing(Subject subject) =>
        pack.RealName is { } rule && subject.RealName != RealNameStatus.Verified ? Decision.Deny(ReasonCode.RealNameRequired, rule.RequirementIds) : null;

    private static GameSpendOutcome ToOutcome((bool Added, decimal Total) added) => new(added.Added, added.Total, Replayed: false, KeyConflict: false);

    // The game rules follow the real age when it is known (they bind by age, not by an app switch). Without a birth
    // date, teen mode off means "treated as an adult"; teen mode on takes the youngest age the declared band allows.
    private (bool TeenModeOff, GameSpendingTier? Tier) Tier(Subject subject, DateTime local)
    {
        if (subject.BirthDate is { } birth)
        {
            return (false, pack.TierForAge(Math.Max(0, RulePack.AgeOn(birth, DateOnly.FromDateTime(local)))));
        }

        if (!subject.TeenMode)
        {
            return (true, null);
        }

        return (false, pack.TierForAge(subject.DeclaredBand?.FromAge ?? 0));
    }
}
