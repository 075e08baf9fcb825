using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Rules;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.PersonalInfo;

/// <summary>Settings of personal-information protection.</summary>
public sealed class PersonalInfoOptions
{
    /// <summary>An inventory shipped with the SDK, by id (e.g. the sample's <c>short-video-app</c>).</summary>
    public string? InventoryId { get; set; }

    /// <summary>An inventory file (preferred over <see cref="InventoryId"/>).</summary>
    public string? InventoryPath { get; set; }

    /// <summary>Time to complete a data-subject request; overrides the rule pack's figure (the law gives none).</summary>
    public TimeSpan? RequestDue { get; set; }
}

internal sealed class PersonalInfoService(
    DataInventory inventory,
    IPersonalInfoStore store,
    ISubjectStore subjects,
    IGuardianStore guardians,
    PersonalDataProtector protector,
    RulePack pack,
    IAuditLog audit,
    PersonalInfoOptions options,
    TimeProvider time,
    FailClosed failClosed,
    ILogger<PersonalInfoService>? logger = null) : IPersonalInfo
{
    private readonly ILogger _logger = logger ?? NullLogger<PersonalInfoService>.Instance;

    public DataInventory Inventory => inventory;

    public Task<Decision> CheckCollectionAsync(string subjectId, string field, string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        return failClosed.DecideAsync(
            async ct => (await EvaluateAsync(subjectId, field, purpose, ct).ConfigureAwait(false)).Decision, _logger, "Personal-information collection check", cancellationToken);
    }

    public async Task<Decision> CollectAsync(string subjectId, string field, string purpose, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentNullException.ThrowIfNull(value);
        var f = inventory.Field(field);
        var sensitive = false;
        var decision = await failClosed.DecideAsync(
            async ct =>
            {
                (var verdict, sensitive) = await EvaluateAsync(subjectId, field, purpose, ct).ConfigureAwait(false);
                if (verdict.IsAllowed)
                {
                    var p = inventory.Purpose(purpose)!;
                    var now = time.GetUtcNow();
                    await store.UpsertValueAsync(Seal(subjectId, f!, p.Id, value, sensitive, now, now + p.Retention), ct).ConfigureAwait(false);
                }

                return verdict;
            },
            _logger,
            "Personal-information collection",
            cancellationToken).ConfigureAwait(false);
        if (!decision.IsAllowed)
        {
            return decision;
        }

        await AuditAsync(new AuditEvent("subject:" + subjectId, "personal-data-collected", subjectId, field, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["purpose"] = purpose,
            ["category"] = DataInventoryLoader.CategoryName(f!.Category),
            ["encrypted"] = sensitive ? "true" : "false",
        }), cancellationToken).ConfigureAwait(false);
        return decision;
    }

    public async Task<ConsentOutcome> RecordConsentAsync(ConsentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Decision == ConsentDecision.Withdrawn)
        {
            throw new ArgumentException("Withdraw consent with WithdrawConsentAsync.", nameof(request));
        }

        if (!IsSha256Hex(request.NoticeHash))
        {
            throw new ArgumentException("The notice hash must be 64 lower-case hex digits (SHA-256).", nameof(request));
        }

        return await DecideAsync(request.SubjectId, request.GuardianId, request.Decision, request.Purposes, request.NoticeHash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConsentOutcome> WithdrawConsentAsync(string subjectId, string guardianId, IReadOnlyList<string> purposes, CancellationToken cancellationToken = default)
    {
        var consents = await store.GetConsentsAsync(subjectId, cancellationToken).ConfigureAwait(false);

        // The withdrawal cites the notice the last consent was given against.
        var notice = consents.LastOrDefault(c => c.Decision == ConsentDecision.Granted)?.NoticeHash ?? new string('0', 64);
        return await DecideAsync(subjectId, guardianId, ConsentDecision.Withdrawn, purposes, notice, cancellationToken).ConfigureAwait(false);
    }

    public async Task<DataSubjectRequestOutcome?> SubmitRequestAsync(DataSubjectRequestSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.SubjectId, nameof(submission));
        ArgumentException.ThrowIfNullOrWhiteSpace(submission.RequesterId, nameof(submission));
        if (await subjects.GetAsync(submission.SubjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var request = new DataSubjectRequestRecord("dsr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), submission.SubjectId, submission.Kind,
            submission.RequesterId, now, now + RequestDue(), DataSubjectRequestStatus.Received, null, null,
            submission.Kind == DataSubjectRequestKind.Correction ? submission.Field : null,
            submission.Kind == DataSubjectRequestKind.Correction ? submission.Purpose : null);

        // Durable before it is handled: the receipt exists even if handling fails.
        await store.SaveRequestAsync(request, cancellationToken).ConfigureAwait(false);
        PersonalDataExport? export = null;
        DeletionSummary? deleted = null;
        LocalizedText? refusal = await RefusalAsync(submission, cancellationToken).ConfigureAwait(false);
        if (refusal is null)
        {
            switch (submission.Kind)
            {
                case DataSubjectRequestKind.Access:
                    export = await ExportAsync(submission.SubjectId, cancellationToken).ConfigureAwait(false);
                    break;
                case DataSubjectRequestKind.Deletion:
                    deleted = await DeleteAsync(submission.SubjectId, null, "deletion-request", submission.RequesterId, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    refusal = await CorrectAsync(submission, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        request = request with
        {
            Status = refusal is null ? DataSubjectRequestStatus.Completed : DataSubjectRequestStatus.Refused,
            CompletedAt = time.GetUtcNow(),
            RefusalReason = refusal,
        };
        await store.SaveRequestAsync(request, cancellationToken).ConfigureAwait(false);
        await AuditAsync(new AuditEvent(submission.RequesterId, "data-subject-request-" + (refusal is null ? "completed" : "refused"), submission.SubjectId, request.Id,
            new Dictionary<string, string>(StringComparer.Ordinal) { ["kind"] = Reporting.Kebab.Of(submission.Kind) }), cancellationToken).ConfigureAwait(false);
        return new DataSubjectRequestOutcome(request, export, deleted);
    }

    public async Task<DataSubjectRequestRecord?> GetRequestAsync(string subjectId, string requestId, CancellationToken cancellationToken = default)
    {
        var request = await store.GetRequestAsync(requestId, cancellationToken).ConfigureAwait(false);
        return request is not null && request.SubjectId == subjectId ? request : null;
    }

    public async Task<PersonalDataExport?> ExportAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var values = await store.GetValuesAsync(subjectId, cancellationToken).ConfigureAwait(false);
        var consents = await store.GetConsentsAsync(subjectId, cancellationToken).ConfigureAwait(false);
        return new PersonalDataExport(subjectId, time.GetUtcNow(), inventory.Id,
            values.Select(v => new ExportedValue(v.Field, v.Purpose, DataInventoryLoader.CategoryName(v.Category), protector.Open(v), v.CollectedAt, v.ExpiresAt)).ToList(),
            consents);
    }

    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var deleted = await store.DeleteExpiredValuesAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var group in deleted.GroupBy(d => d.SubjectId, StringComparer.Ordinal))
        {
            await AuditDeletionAsync(group.Key, [.. group], "retention-expired", "system", cancellationToken).ConfigureAwait(false);
        }

        return deleted.Count;
    }

    public async Task<DeletionSummary?> CloseAccountAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await DeleteAsync(subjectId, null, "account-closed", "subject:" + subjectId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ConsentOutcome> DecideAsync(string subjectId, string guardianId, ConsentDecision decision, IReadOnlyList<string> purposes, string noticeHash,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardianId);
        ArgumentNullException.ThrowIfNull(purposes);
        if (purposes.Count == 0)
        {
            throw new ArgumentException("Name at least one purpose.", nameof(purposes));
        }

        if (purposes.FirstOrDefault(p => inventory.Purpose(p) is null) is not null)
        {
            return new ConsentOutcome(Decision.Deny(ReasonCode.PurposeNotDeclared, PersonalInfoRequirementIds.Necessity), null, null);
        }

        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new ConsentOutcome(Decision.Deny(ReasonCode.UnknownSubject), null, null);
        }

        var bound = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (!bound.Any(b => b.GuardianId == guardianId))
        {
            return new ConsentOutcome(Decision.Deny(ReasonCode.NoGuardianBound, PersonalInfoRequirementIds.GuardianConsent), null, null);
        }

        var record = new ConsentRecord("consent-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), subjectId, guardianId, decision,
            [.. purposes.Distinct(StringComparer.Ordinal)], noticeHash, time.GetUtcNow());
        await store.AddConsentAsync(record, cancellationToken).ConfigureAwait(false);
        await AuditAsync(new AuditEvent(guardianId, "consent-" + Reporting.Kebab.Of(decision), subjectId, null, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["purposes"] = string.Join(",", record.Purposes),
            ["noticeHash"] = noticeHash,
        }), cancellationToken).ConfigureAwait(false);

        // Consent ended (refused or withdrawn): data that depended on it goes (PIPL art. 47, CPIP art. 20).
        var deleted = decision == ConsentDecision.Granted ? null
            : await DeleteAsync(subjectId, record.Purposes, "consent-" + Reporting.Kebab.Of(decision), guardianId, cancellationToken).ConfigureAwait(false);
        return new ConsentOutcome(Decision.Allow(), record, deleted);
    }

    private async Task<(Decision Decision, bool Sensitive)> EvaluateAsync(string subjectId, string field, string purpose, CancellationToken cancellationToken)
    {
        var p = inventory.Purpose(purpose ?? string.Empty);
        if (p is null)
        {
            return (Decision.Deny(ReasonCode.PurposeNotDeclared, PersonalInfoRequirementIds.Necessity), false);
        }

        var f = inventory.Field(field ?? string.Empty);
        if (f is null || !p.Fields.Contains(f.Name, StringComparer.Ordinal))
        {
            return (Decision.Deny(ReasonCode.FieldNotNeededForPurpose, PersonalInfoRequirementIds.Necessity), false);
        }

        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return (Decision.Deny(ReasonCode.UnknownSubject), false);
        }

        var (minor, child) = Classify(subject);
        var consents = await store.GetConsentsAsync(subjectId, cancellationToken).ConfigureAwait(false);

        // The latest decision that names the purpose is the one in force.
        var state = consents.LastOrDefault(c => c.Purposes.Contains(p.Id, StringComparer.Ordinal))?.Decision;
        var sensitive = f.IsSensitive || child;
        var decision = state switch
        {
            ConsentDecision.Refused => Decision.Deny(ReasonCode.ConsentRefused, PersonalInfoRequirementIds.Refusal),
            ConsentDecision.Withdrawn => Decision.Deny(ReasonCode.ConsentWithdrawn, PersonalInfoRequirementIds.Refusal),
            ConsentDecision.Granted => Decision.Allow(),
            _ when minor && (p.OffByDefaultForMinors || f.Category == PersonalDataCategory.PreciseLocation) =>
                Decision.Deny(ReasonCode.OffByDefaultForMinors, PersonalInfoRequirementIds.OffByDefault),
            _ when child => Decision.Deny(ReasonCode.ConsentRequired, [.. ConsentAge().RequirementIds, .. PersonalInfoRequirementIds.GuardianConsent]),
            _ => Decision.Allow(),
        };
        return (decision, sensitive);
    }

    // (minor, under the guardian-consent age). Unknown age in teen mode counts as the youngest; teen mode off with no known age counts as an adult.
    private (bool Minor, bool Child) Classify(Subject subject)
    {
        var status = SubjectService.Resolve(subject, pack, time.GetUtcNow());
        var adultAge = pack.Bands[^1].Band.ToAge;
        var consentAge = ConsentAge().Value;
        if (status.Age is { } age)
        {
            return (age < adultAge, age < consentAge);
        }

        if (!subject.TeenMode)
        {
            return (false, false);
        }

        return (true, status.Rules.Band.FromAge < consentAge);
    }

    // With no personalInfo section in the pack, every minor needs guardian consent (the protective reading).
    private Sourced<int> ConsentAge() => pack.PersonalInfo?.GuardianConsentUnderAge ?? new Sourced<int>(pack.Bands[^1].Band.ToAge, []);

    private TimeSpan RequestDue() =>
        options.RequestDue
        ?? (pack.PersonalInfo?.RequestDueDays is { } days ? TimeSpan.FromDays(days.Value) : (TimeSpan?)null)
        ?? throw new TeenModeConfigurationException("No data-subject request due time: set PersonalInfoOptions.RequestDue or personalInfo.dataSubjectRequestDueDays in the rule pack.");

    private async Task<LocalizedText?> RefusalAsync(DataSubjectRequestSubmission s, CancellationToken cancellationToken)
    {
        if (s.RequesterId != s.SubjectId)
        {
            var bound = await guardians.GetForSubjectAsync(s.SubjectId, cancellationToken).ConfigureAwait(false);
            if (!bound.Any(b => b.GuardianId == s.RequesterId))
            {
                return new LocalizedText("申请人既不是本人，也不是已绑定的监护人，无法核实身份，因此不予办理。请由本人或已绑定的监护人提出。",
                    "The requester is neither the user nor a bound guardian, so their identity cannot be verified; ask as the user or a bound guardian.");
            }
        }

        if (s.Kind == DataSubjectRequestKind.Correction && (s.Field is null || s.Purpose is null || s.NewValue is null))
        {
            return new LocalizedText("更正申请须写明字段、用途和更正后的值。", "A correction needs the field, the purpose and the corrected value.");
        }

        return null;
    }

    private async Task<LocalizedText?> CorrectAsync(DataSubjectRequestSubmission s, CancellationToken cancellationToken)
    {
        var values = await store.GetValuesAsync(s.SubjectId, cancellationToken).ConfigureAwait(false);
        var current = values.FirstOrDefault(v => v.Field == s.Field && v.Purpose == s.Purpose);
        if (current is null || inventory.Field(current.Field) is not { } f)
        {
            return new LocalizedText($"我们没有保存该用户用于“{s.Purpose}”的“{s.Field}”信息，无可更正。",
                $"We hold no '{s.Field}' for the purpose '{s.Purpose}' for this user, so there is nothing to correct.");
        }

        var sensitive = current.KeyId is not null || f.IsSensitive;
        await store.UpsertValueAsync(Seal(s.SubjectId, f, current.Purpose, s.NewValue!, sensitive, time.GetUtcNow(), current.ExpiresAt), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private PersonalDataRecord Seal(string subjectId, InventoryField f, string purpose, string value, bool sensitive, DateTimeOffset at, DateTimeOffset expires)
    {
        if (!sensitive)
        {
            return new PersonalDataRecord(subjectId, f.Name, purpose, f.Category, null, Encoding.UTF8.GetBytes(value), at, expires);
        }

        var (keyId, payload) = protector.Seal(subjectId, f.Name, purpose, value);
        return new PersonalDataRecord(subjectId, f.Name, purpose, f.Category, keyId, payload, at, expires);
    }

    private async Task<DeletionSummary> DeleteAsync(string subjectId, IReadOnlyCollection<string>? purposes, string trigger, string actor, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteValuesAsync(subjectId, purposes, cancellationToken).ConfigureAwait(false);
        return await AuditDeletionAsync(subjectId, deleted, trigger, actor, cancellationToken).ConfigureAwait(false);
    }

    // Names, categories and counts only: the audit log is append-only and must never hold the deleted values.
    private async Task<DeletionSummary> AuditDeletionAsync(string subjectId, IReadOnlyList<PersonalDataRecord> deleted, string trigger, string actor, CancellationToken cancellationToken)
    {
        var summary = new DeletionSummary(deleted.Count,
            [.. deleted.Select(d => d.Field).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. deleted.Select(d => DataInventoryLoader.CategoryName(d.Category)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        await AuditAsync(new AuditEvent(actor, "personal-data-deleted", subjectId, trigger, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["count"] = summary.Count.ToString(CultureInfo.InvariantCulture),
            ["fields"] = string.Join(",", summary.Fields),
            ["categories"] = string.Join(",", summary.Categories),
            ["trigger"] = trigger,
        }), cancellationToken).ConfigureAwait(false);
        return summary;
    }

    private async Task AuditAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change is already stored; undoing a deletion to keep the log complete would be worse.
            _logger.LogError(ex, "Audit log unavailable; personal-information action {Action} was not audited.", auditEvent.Action);
        }
    }

    private static bool IsSha256Hex(string? text) =>
        text is { Length: 64 } && text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
