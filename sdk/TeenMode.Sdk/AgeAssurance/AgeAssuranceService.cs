using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.AgeAssurance;

internal sealed class AgeAssuranceService(
    ISubjectStore subjects,
    IRealNameVerifier verifier,
    AgeSignalTable signals,
    RulePack pack,
    GameRulePack games,
    IGameGate gameGate,
    IAuditLog audit,
    TimeProvider time,
    FailClosed failClosed,
    ILogger<AgeAssuranceService>? logger = null) : IAgeAssurance
{
    /// <summary>Devices one subject may have in minor mode at once: enough for a family, bounded so the row cannot grow without end.</summary>
    internal const int MaxMinorModeDevices = 16;

    private static readonly ReasonCode InvalidRequest = new("invalid-request");

    private readonly ILogger _logger = logger ?? NullLogger<AgeAssuranceService>.Instance;

    private IReadOnlyList<string> RealNameIds => games.RealName?.RequirementIds ?? [];

    public async Task<RealNameVerification> VerifyRealNameAsync(string subjectId, string name, string identityNumber, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var (read, subject) = await ReadAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), RealNameStatus.NotChecked);
        }

        // An impossible number never reaches the provider (and is never echoed anywhere).
        var number = ResidentIdentityNumber.Validate(identityNumber, DateOnly.FromDateTime(pack.ToLocal(time.GetUtcNow())));
        if (!number.IsValid)
        {
            return new(Decision.Deny(number.Reason), subject.RealName);
        }

        if (subject.RealName == RealNameStatus.Verified)
        {
            // A verified identity is settled: a second check could only swap in someone else's age.
            return new(Decision.Allow(), RealNameStatus.Verified, Resolve(subject));
        }

        var result = await verifier.CheckAsync(new RealNameCheck(subject.Id, name, identityNumber.ToUpperInvariant()), cancellationToken).ConfigureAwait(false);
        return await RecordAsync(subject, result, number.BirthDate, "check", cancellationToken).ConfigureAwait(false);
    }

    public async Task<RealNameVerification> RefreshRealNameAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        var (read, subject) = await ReadAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), RealNameStatus.NotChecked);
        }

        if (subject.RealName != RealNameStatus.Pending)
        {
            return Current(subject);
        }

        var result = await verifier.QueryAsync(subject.Id, cancellationToken).ConfigureAwait(false);
        return await RecordAsync(subject, result, subject.RealNameBirthDate, "query", cancellationToken).ConfigureAwait(false);
    }

    public async Task<RealNameVerification> CompleteRealNameAsync(string subjectId, RealNameResult result, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(result);
        var (read, subject) = await ReadAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), RealNameStatus.NotChecked);
        }

        // Only a check we sent can be completed: a push for anything else changes nothing.
        return subject.RealName == RealNameStatus.Pending
            ? await RecordAsync(subject, result, subject.RealNameBirthDate, "callback", cancellationToken).ConfigureAwait(false)
            : Current(subject);
    }

    public async Task<AgeSignalResult> ApplyAgeSignalAsync(string subjectId, AgeSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(signal);
        if (!signals.TryMap(signal, pack, out var mapping, out var error))
        {
            return new(Decision.Deny(InvalidRequest), null, error);
        }

        var (read, subject) = await ReadAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), mapping, null);
        }

        await ApplyAsync(subject, mapping, AgeSource.OsSignal, cancellationToken).ConfigureAwait(false);
        await AuditAsync(subject.Id, "age-signal-applied", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = signal.Source,
            ["treatment"] = mapping.Treatment.ToString(),
            ["band"] = mapping.Band?.Id ?? "-",
        }, cancellationToken).ConfigureAwait(false);
        return new(new Decision(Outcome.Allow, mapping.Reason, mapping.RequirementIds, DecisionDetails.None), mapping, null,
            await StatusAsync(subject.Id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<DeviceMinorModeResult> SetDeviceMinorModeAsync(DeviceMinorModeSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentException.ThrowIfNullOrWhiteSpace(signal.SubjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(signal.DeviceId);
        AgeSignalMapping? mapping = null;
        if (signal.MinorMode && signal.AgeGroup is { } group && !signals.TryMap(group, pack, out mapping, out var error))
        {
            return new(Decision.Deny(InvalidRequest), error);
        }

        var (read, subject) = await ReadAsync(signal.SubjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), null);
        }

        if (signal.MinorMode && subject.MinorModeDevices.Count >= MaxMinorModeDevices && !subject.MinorModeDevices.Contains(signal.DeviceId, StringComparer.Ordinal))
        {
            return new(Decision.Deny(InvalidRequest), new AgeSignalFieldError("deviceId", new LocalizedText(
                string.Create(CultureInfo.InvariantCulture, $"处于未成年人模式的设备已达上限 {MaxMinorModeDevices} 台，请先让不再使用的设备报告关闭"),
                string.Create(CultureInfo.InvariantCulture, $"at most {MaxMinorModeDevices} devices may report minor mode at once; have a device no longer used report it off first"))));
        }

        // One write turns teen mode on with the device: there is no moment where the device is recorded but teen mode is off.
        if (!await subjects.SetDeviceMinorModeAsync(subject.Id, signal.DeviceId, signal.MinorMode, cancellationToken).ConfigureAwait(false))
        {
            return new(Decision.Deny(ReasonCode.UnknownSubject), null);
        }

        if (mapping is not null)
        {
            await ApplyAsync(subject, mapping, AgeSource.DeviceMinorMode, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(subject.Id, signal.MinorMode ? "device-minor-mode-on" : "device-minor-mode-off", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["deviceId"] = signal.DeviceId,
            ["band"] = mapping?.Band?.Id ?? "-",
        }, cancellationToken).ConfigureAwait(false);
        return new(new Decision(Outcome.Allow, mapping?.Reason ?? ReasonCode.Allowed, RequirementIds.DeviceMinorMode, DecisionDetails.None), null,
            await StatusAsync(subject.Id, cancellationToken).ConfigureAwait(false));
    }

    public async Task<GameSessionResult> ReportGameSessionAsync(GameSessionEvent session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrWhiteSpace(session.SubjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(session.SessionId);
        ArgumentException.ThrowIfNullOrWhiteSpace(session.DeviceId);
        var (read, subject) = await ReadAsync(session.SubjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(read ? ReasonCode.UnknownSubject : ReasonCode.StoreUnavailable), null);
        }

        var decision = Decision.Allow();
        if (session.Online)
        {
            // A log-in the game may not serve is refused, not reported: no session starts.
            decision = await gameGate.CheckPlayAsync(subject.Id, cancellationToken).ConfigureAwait(false);
            if (!decision.IsAllowed)
            {
                return new(decision, null);
            }
        }

        // Verified players are reported by the provider's player id, others as guests by device (the provider's rule).
        var verified = subject.RealName == RealNameStatus.Verified;
        var record = new GameBehaviourRecord(1, session.SessionId, session.Online, time.GetUtcNow(), Guest: !verified,
            DeviceId: verified ? null : session.DeviceId, PlayerId: verified ? subject.RealNamePlayerId : null);
        var upload = await verifier.ReportBehaviourAsync([record], cancellationToken).ConfigureAwait(false);
        if (!upload.Accepted)
        {
            _logger.LogWarning("Game behaviour report not accepted: {Codes}.", string.Join(", ", upload.Errors.Select(e => e.Code)));
        }

        return new(decision, upload);
    }

    private async Task<RealNameVerification> RecordAsync(Subject subject, RealNameResult result, DateOnly? birthDate, string how, CancellationToken cancellationToken)
    {
        var status = result.Outcome switch
        {
            RealNameOutcome.Verified => RealNameStatus.Verified,
            RealNameOutcome.Pending => RealNameStatus.Pending,
            RealNameOutcome.Failed => RealNameStatus.Failed,
            _ => (RealNameStatus?)null,
        };
        if (status is null)
        {
            // Unavailable: nothing is known, nothing is recorded; the subject stays as unverified as it was.
            return new(Decision.Deny(ReasonCode.RealNameUnavailable, RealNameIds), subject.RealName, Resolve(subject));
        }

        var playerId = status == RealNameStatus.Verified ? result.PlayerId : null;
        var (written, changed) = await failClosed.RunAsync(
            async ct => (true, await subjects.SetRealNameAsync(subject.Id, status.Value, playerId, birthDate, ct).ConfigureAwait(false)),
            () => (false, false), _logger, "Real-name result", cancellationToken).ConfigureAwait(false);
        if (!written)
        {
            // The provider answered but the store did not take it: nothing is recorded, so the client asks again.
            return new(Decision.Deny(ReasonCode.StoreUnavailable), subject.RealName);
        }

        if (!changed)
        {
            // Verified meanwhile (a callback beat this answer): that stands.
            return new(Decision.Allow(), RealNameStatus.Verified, await StatusAsync(subject.Id, cancellationToken).ConfigureAwait(false));
        }

        // The audit records the outcome only: never the name, the number or the birth date.
        await AuditAsync(subject.Id, "real-name-" + status.Value.ToString().ToLowerInvariant(), new Dictionary<string, string>(StringComparer.Ordinal) { ["via"] = how },
            cancellationToken).ConfigureAwait(false);
        return new(StatusDecision(status.Value), status.Value, await StatusAsync(subject.Id, cancellationToken).ConfigureAwait(false));
    }

    // The provider's calls have their own deadline (Polly); each store step gets the store's, so an outage answers
    // store-unavailable as quickly as any gate does.
    private Task<(bool Read, Subject? Subject)> ReadAsync(string subjectId, CancellationToken cancellationToken) =>
        failClosed.RunAsync<(bool, Subject?)>(async ct => (true, await subjects.GetAsync(subjectId, ct).ConfigureAwait(false)), () => (false, null),
            _logger, "Age assurance", cancellationToken);

    private RealNameVerification Current(Subject subject) => new(StatusDecision(subject.RealName), subject.RealName, Resolve(subject));

    private SubjectStatus Resolve(Subject subject) => SubjectService.Resolve(subject, pack, time.GetUtcNow());

    // The status after a write, read under the store deadline like every other step (the provider-bound routes have
    // no endpoint deadline); null if the store fails now, as the change itself is already made.
    private async Task<SubjectStatus?> StatusAsync(string subjectId, CancellationToken cancellationToken)
    {
        var (_, subject) = await ReadAsync(subjectId, cancellationToken).ConfigureAwait(false);
        return subject is null ? null : Resolve(subject);
    }

    private Decision StatusDecision(RealNameStatus status) => status switch
    {
        RealNameStatus.Verified => Decision.Allow(),
        RealNameStatus.Pending => Decision.Deny(ReasonCode.RealNamePending, RealNameIds),
        RealNameStatus.Failed => Decision.Deny(ReasonCode.RealNameFailed, RealNameIds),
        _ => Decision.Deny(ReasonCode.RealNameRequired, RealNameIds),
    };

    // A verified identity outranks any signal; otherwise the band (or, when declined, no age at all) replaces what was declared.
    private async Task ApplyAsync(Subject subject, AgeSignalMapping mapping, AgeSource source, CancellationToken cancellationToken)
    {
        if (subject.RealName == RealNameStatus.Verified)
        {
            return;
        }

        switch (mapping.Treatment)
        {
            case AgeSignalTreatment.Band:
                await subjects.SetAgeAsync(subject.Id, null, mapping.Band, source, cancellationToken).ConfigureAwait(false);
                break;
            case AgeSignalTreatment.Declined:
                await subjects.SetAgeAsync(subject.Id, null, null, source, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task AuditAsync(string subjectId, string action, IReadOnlyDictionary<string, string> details, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(new AuditEvent("subject:" + subjectId, action, subjectId, null, details), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is made; failing the request now would only make the client retry something already done.
            _logger.LogError(ex, "Audit log unavailable; {Action} was recorded but not audited.", action);
        }
    }
}
