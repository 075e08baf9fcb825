using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Subjects;

namespace TeenMode.PersonalInfo;

/// <summary>The SDK's <see cref="IStaffAccess"/>.</summary>
internal sealed partial class StaffAccessService : IStaffAccess
{
    /// <summary>Requirement ids of staff access.</summary>
    public static IReadOnlyList<string> Requirements { get; } = ["REG-MINOR-36"];

    private readonly IStaffAccessStore _store;
    private readonly ISubjectStore _subjects;
    private readonly IEnumerable<IPersonalDataSource> _sources;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly StaffAccessOptions _options;

    /// <summary>Creates the service.</summary>
    public StaffAccessService(IStaffAccessStore store, ISubjectStore subjects, IEnumerable<IPersonalDataSource> sources, IAuditLog audit, TimeProvider time, IOptions<StaffAccessOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _subjects = subjects ?? throw new ArgumentNullException(nameof(subjects));
        _sources = sources ?? throw new ArgumentNullException(nameof(sources));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = options.Value;
        if (_options.GrantLifetime <= TimeSpan.Zero)
        {
            throw new TeenModeConfigurationException($"{nameof(StaffAccessOptions)}.{nameof(StaffAccessOptions.GrantLifetime)} must be positive.");
        }
    }

    /// <inheritdoc />
    public async Task<StaffAccessResult> RequestAsync(StaffAccessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.StaffId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.SubjectId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Justification);
        if (!CodePattern().IsMatch(request.Purpose ?? ""))
        {
            throw new ArgumentException("The purpose must be a short kebab-case code such as complaint-handling.", nameof(request));
        }

        if (await _subjects.GetAsync(request.SubjectId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new(Decision.Deny(ReasonCode.UnknownSubject), null);
        }

        var grant = new StaffAccessGrant("sa-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), request.StaffId, request.SubjectId,
            request.Purpose!, Redaction.Text(request.Justification), StaffAccessStatus.Pending, _time.GetUtcNow());
        await _store.AddGrantAsync(grant, cancellationToken).ConfigureAwait(false);
        await AuditAsync(grant.StaffId, "staff-access-requested", grant, new Dictionary<string, string> { ["purpose"] = grant.Purpose }, cancellationToken).ConfigureAwait(false);
        return new(Decision.Allow(), grant);
    }

    /// <inheritdoc />
    public Task<StaffAccessResult> ApproveAsync(string grantId, string approverId, CancellationToken cancellationToken = default) =>
        DecideAsync(grantId, approverId, StaffAccessStatus.Approved, null, cancellationToken);

    /// <inheritdoc />
    public Task<StaffAccessResult> RefuseAsync(string grantId, string approverId, string reason, CancellationToken cancellationToken = default)
    {
        if (!CodePattern().IsMatch(reason ?? ""))
        {
            throw new ArgumentException("The reason must be a short kebab-case code such as purpose-not-justified.", nameof(reason));
        }

        return DecideAsync(grantId, approverId, StaffAccessStatus.Refused, reason, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StaffAccessGrant?> GetAsync(string grantId, CancellationToken cancellationToken = default) => _store.GetGrantAsync(grantId, cancellationToken);

    /// <inheritdoc />
    public async Task<StaffAccessRead> ReadAsync(string staffId, string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffId);
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectId);
        var now = _time.GetUtcNow();
        var grant = (await _store.ListGrantsAsync(staffId, subjectId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(g => g.IsActive(now));
        if (grant is null)
        {
            await _audit.AppendAsync(new AuditEvent(staffId, "staff-access-read-denied", subjectId, null,
                new Dictionary<string, string> { ["reason"] = ReasonCode.StaffAccessNotGranted.Value }), cancellationToken).ConfigureAwait(false);
            return new(Decision.Deny(ReasonCode.StaffAccessNotGranted, Requirements), null, null);
        }

        var data = new SortedDictionary<string, IReadOnlyDictionary<string, string?>>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            if (await source.ReadAsync(subjectId, cancellationToken).ConfigureAwait(false) is { } fields)
            {
                data[source.Name] = fields;
            }
        }

        // The read is logged with what was shown (source and field names), never the values.
        await AuditAsync(staffId, "staff-access-read", grant, new Dictionary<string, string>
        {
            ["fields"] = string.Join(",", data.SelectMany(s => s.Value.Keys.Select(k => s.Key + "." + k))),
            ["purpose"] = grant.Purpose,
        }, cancellationToken).ConfigureAwait(false);
        return new(Decision.Allow(), data, grant);
    }

    private async Task<StaffAccessResult> DecideAsync(string grantId, string approverId, StaffAccessStatus to, string? reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(grantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(approverId);
        var grant = await _store.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
        if (grant is null || grant.Status != StaffAccessStatus.Pending)
        {
            return new(Decision.Deny(ReasonCode.StaffAccessNotPending, Requirements), grant);
        }

        // Nobody approves their own access, and only a responsible person approves when the app names them.
        if (string.Equals(grant.StaffId, approverId, StringComparison.Ordinal) || (_options.Approvers.Count > 0 && !_options.Approvers.Contains(approverId)))
        {
            await _audit.AppendAsync(new AuditEvent(approverId, "staff-access-decision-refused", grant.SubjectId, grant.Id,
                new Dictionary<string, string> { ["reason"] = ReasonCode.StaffApproverNotAllowed.Value }), cancellationToken).ConfigureAwait(false);
            return new(Decision.Deny(ReasonCode.StaffApproverNotAllowed, Requirements), grant);
        }

        var now = _time.GetUtcNow();
        var decided = grant with
        {
            Status = to,
            ApproverId = approverId,
            DecidedAt = now,
            ExpiresAt = to == StaffAccessStatus.Approved ? now + _options.GrantLifetime : null,
        };
        if (!await _store.DecideGrantAsync(decided, cancellationToken).ConfigureAwait(false))
        {
            return new(Decision.Deny(ReasonCode.StaffAccessNotPending, Requirements), await _store.GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false));
        }

        var details = new Dictionary<string, string> { ["staff"] = grant.StaffId, ["purpose"] = grant.Purpose };
        if (decided.ExpiresAt is { } expires)
        {
            details["expiresAt"] = expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        if (reason is not null)
        {
            details["reason"] = reason;
        }

        await AuditAsync(approverId, to == StaffAccessStatus.Approved ? "staff-access-approved" : "staff-access-refused", decided, details, cancellationToken).ConfigureAwait(false);
        return new(Decision.Allow(), decided);
    }

    private Task<AuditEntry> AuditAsync(string actor, string action, StaffAccessGrant grant, Dictionary<string, string> details, CancellationToken cancellationToken) =>
        _audit.AppendAsync(new AuditEvent(actor, action, grant.SubjectId, grant.Id, details), cancellationToken);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}

/// <summary>The subject record as personal data: birth date, declared band, how the age is known, teen mode, guardians bound.</summary>
internal sealed class SubjectRecordDataSource(ISubjectStore subjects, IGuardianStore guardians) : IPersonalDataSource
{
    /// <inheritdoc />
    public string Name => "subject";

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string?>?> ReadAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        if (await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false) is not { } subject)
        {
            return null;
        }

        var bound = await guardians.GetForSubjectAsync(subjectId, cancellationToken).ConfigureAwait(false);
        return new SortedDictionary<string, string?>(StringComparer.Ordinal)
        {
            ["id"] = subject.Id,
            ["birthDate"] = subject.BirthDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["declaredBand"] = subject.DeclaredBand?.Id,
            ["ageSource"] = subject.AgeSource.ToString(),
            ["teenMode"] = subject.TeenMode ? "true" : "false",
            ["createdAt"] = subject.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["guardianIds"] = string.Join(",", bound.Select(b => b.GuardianId)),
        };
    }
}
