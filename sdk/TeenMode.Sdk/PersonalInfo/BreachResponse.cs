using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.Subjects;

namespace TeenMode.PersonalInfo;

/// <summary>The SDK's <see cref="IBreachResponse"/>.</summary>
internal sealed partial class BreachResponse(
    IBreachStore store,
    ISubjectStore subjects,
    IGuardianStore guardians,
    IBreachNotifier notifier,
    IAuditLog audit,
    TimeProvider time) : IBreachResponse
{
    /// <summary>Requirement ids of the incident flow.</summary>
    public static IReadOnlyList<string> Requirements { get; } = ["REG-MINOR-35", "PIPL-57"];

    /// <summary>True when <paramref name="category"/> is a short kebab-case code.</summary>
    public static bool IsCategoryCode(string? category) => category is not null && CodePattern().IsMatch(category);

    /// <inheritdoc />
    public async Task<BreachResult> DeclareAsync(BreachDeclaration declaration, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (declaration.Categories is not { Count: > 0 } || declaration.Categories.Any(c => !IsCategoryCode(c))
            || declaration.AffectedSubjects is not { Count: > 0 }
            || declaration.AffectedSubjects.Any(a => string.IsNullOrWhiteSpace(a.SubjectId) || (a.Categories ?? []).Any(c => !IsCategoryCode(c))))
        {
            throw new ArgumentException("An incident needs kebab-case categories and at least one affected subject.", nameof(declaration));
        }

        foreach (var affected in declaration.AffectedSubjects)
        {
            if (await subjects.GetAsync(affected.SubjectId, cancellationToken).ConfigureAwait(false) is null)
            {
                return new(Decision.Deny(ReasonCode.UnknownSubject, Requirements), null);
            }
        }

        var now = time.GetUtcNow();
        var facts = declaration with
        {
            Categories = declaration.Categories.Distinct(StringComparer.Ordinal).ToList(),
            AffectedSubjects = declaration.AffectedSubjects
                .GroupBy(a => a.SubjectId, StringComparer.Ordinal)
                .Select(g => new BreachAffectedSubject(g.Key, g.SelectMany(a => a.Categories is { Count: > 0 } c ? c : declaration.Categories).Distinct(StringComparer.Ordinal).ToList()))
                .ToList(),

            // Free text may quote the leaked data itself; it goes to guardians and the authority, so it is masked.
            Cause = Redaction.Text(declaration.Cause),
            Harm = Redaction.Text(declaration.Harm),
            Remedies = Redaction.Text(declaration.Remedies),
            Contact = declaration.Contact,
        };
        var incident = new BreachIncident("br-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), facts, actor, now, BreachStatus.Declared);
        var notices = new List<BreachNotice>();
        foreach (var affected in facts.AffectedSubjects)
        {
            var text = NoticeText(incident, affected);
            var bound = await guardians.GetForSubjectAsync(affected.SubjectId, cancellationToken).ConfigureAwait(false);
            IEnumerable<(string Kind, string Id)> recipients = bound.Count > 0 ? bound.Select(b => ("guardian", b.GuardianId)) : [("subject", affected.SubjectId)];
            notices.AddRange(recipients.Select(r =>
                new BreachNotice("bn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)), incident.Id, affected.SubjectId, r.Kind, r.Id, text, now)));
        }

        await store.AddIncidentAsync(incident, notices, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent(actor, "breach-declared", null, incident.Id, new Dictionary<string, string>
        {
            ["categories"] = string.Join(",", facts.Categories),
            ["affectedSubjects"] = facts.AffectedSubjects.Count.ToString(CultureInfo.InvariantCulture),
            ["notices"] = notices.Count.ToString(CultureInfo.InvariantCulture),
        }), cancellationToken).ConfigureAwait(false);
        foreach (var affected in facts.AffectedSubjects)
        {
            await audit.AppendAsync(new AuditEvent(actor, "breach-subject-affected", affected.SubjectId, incident.Id,
                new Dictionary<string, string> { ["categories"] = string.Join(",", affected.Categories) }), cancellationToken).ConfigureAwait(false);
        }

        // Read back what was stored, so the caller sees the notices that will actually go out.
        return new(Decision.Allow(), await GetAsync(incident.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async Task<BreachResult> NotifyAsync(string incidentId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (await store.GetIncidentAsync(incidentId, cancellationToken).ConfigureAwait(false) is not { } incident)
        {
            return new(Decision.Deny(ReasonCode.UnknownBreach), null);
        }

        if (incident.Status != BreachStatus.Declared)
        {
            return new(Decision.Deny(ReasonCode.BreachTransitionNotAllowed, Requirements), await GetAsync(incidentId, cancellationToken).ConfigureAwait(false));
        }

        var sent = 0;
        var failed = 0;
        foreach (var notice in (await store.ListNoticesAsync(incidentId, cancellationToken).ConfigureAwait(false)).Where(n => n.SentAt is null))
        {
            bool ok;
            string? error = null;
            try
            {
                ok = await notifier.SendAsync(notice, cancellationToken).ConfigureAwait(false);
                error = ok ? null : "notifier-declined";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The notice stays queued; the error type only (its message may hold a recipient's address).
                ok = false;
                error = ex.GetType().Name;
            }

            await store.MarkNoticeAsync(notice.Id, notice.Attempts + 1, ok ? time.GetUtcNow() : null, error, cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                sent++;
                await audit.AppendAsync(new AuditEvent("system", "breach-notice-sent", notice.SubjectId, notice.Id,
                    new Dictionary<string, string> { ["incident"] = incidentId, ["recipient"] = notice.RecipientKind + ":" + notice.RecipientId }), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                failed++;
            }
        }

        var pending = (await store.ListNoticesAsync(incidentId, cancellationToken).ConfigureAwait(false)).Count(n => n.SentAt is null);
        if (pending == 0 && await store.TransitionIncidentAsync(incidentId, BreachStatus.Declared, BreachStatus.Notified, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            await audit.AppendAsync(new AuditEvent(actor, "breach-notified", null, incidentId, new Dictionary<string, string>
            {
                ["sent"] = sent.ToString(CultureInfo.InvariantCulture),
            }), cancellationToken).ConfigureAwait(false);
        }

        var view = await GetAsync(incidentId, cancellationToken).ConfigureAwait(false);
        return new(failed == 0 ? Decision.Allow() : Decision.Deny(ReasonCode.BreachNoticesPending, Requirements), view);
    }

    /// <inheritdoc />
    public async Task<BreachResult> ReportAsync(string incidentId, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (await store.GetIncidentAsync(incidentId, cancellationToken).ConfigureAwait(false) is null)
        {
            return new(Decision.Deny(ReasonCode.UnknownBreach), null);
        }

        if (!await store.TransitionIncidentAsync(incidentId, BreachStatus.Notified, BreachStatus.Reported, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return new(Decision.Deny(ReasonCode.BreachTransitionNotAllowed, Requirements), await GetAsync(incidentId, cancellationToken).ConfigureAwait(false));
        }

        var view = await GetAsync(incidentId, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEvent(actor, "breach-reported", null, incidentId, new Dictionary<string, string>
        {
            ["affectedSubjects"] = view!.Incident.Facts.AffectedSubjects.Count.ToString(CultureInfo.InvariantCulture),
        }), cancellationToken).ConfigureAwait(false);
        return new(Decision.Allow(), view);
    }

    /// <inheritdoc />
    public async Task<BreachView?> GetAsync(string incidentId, CancellationToken cancellationToken = default) =>
        await store.GetIncidentAsync(incidentId, cancellationToken).ConfigureAwait(false) is { } incident
            ? new BreachView(incident, await store.ListNoticesAsync(incidentId, cancellationToken).ConfigureAwait(false))
            : null;

    /// <inheritdoc />
    public Task<IReadOnlyList<BreachNotice>> ListNoticesForSubjectAsync(string subjectId, CancellationToken cancellationToken = default) =>
        store.ListNoticesForSubjectAsync(subjectId, cancellationToken);

    /// <summary>
    /// The report for the authority (CAC): incident facts, counts per category, affected minors by id only, and the
    /// state of guardian notification. No names, birth dates, numbers or addresses.
    /// </summary>
    public static JObject AuthorityReport(BreachView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var incident = view.Incident;
        var facts = incident.Facts;
        var counts = new JObject();
        foreach (var category in facts.AffectedSubjects.SelectMany(a => a.Categories).Concat(facts.Categories).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            counts[category] = facts.AffectedSubjects.Count(a => a.Categories.Contains(category, StringComparer.Ordinal));
        }

        return new JObject
        {
            ["format"] = "teenmode-breach-report/1",
            ["incidentId"] = incident.Id,
            ["status"] = Wire(incident.Status),
            ["occurredAt"] = Instant(facts.OccurredAt),
            ["declaredAt"] = Instant(incident.DeclaredAt),
            ["notifiedAt"] = incident.NotifiedAt is { } n ? Instant(n) : null,
            ["reportedAt"] = incident.ReportedAt is { } r ? Instant(r) : null,
            ["categories"] = new JArray(facts.Categories),
            ["countsByCategory"] = counts,
            ["affectedSubjectCount"] = facts.AffectedSubjects.Count,
            ["affectedSubjects"] = new JArray(facts.AffectedSubjects.Select(a => new JObject
            {
                ["subjectId"] = a.SubjectId,
                ["categories"] = new JArray(a.Categories),
            })),
            ["cause"] = facts.Cause,
            ["harm"] = facts.Harm,
            ["remedies"] = facts.Remedies,
            ["contact"] = facts.Contact,
            ["guardianNotices"] = new JObject
            {
                ["total"] = view.Notices.Count,
                ["sent"] = view.Notices.Count(x => x.SentAt is not null),
            },
            ["requirementIds"] = new JArray(Requirements),
        };
    }

    /// <summary>The wire name of a status.</summary>
    public static string Wire(BreachStatus status) => status switch
    {
        BreachStatus.Declared => "declared",
        BreachStatus.Notified => "notified",
        _ => "reported",
    };

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static LocalizedText NoticeText(BreachIncident incident, BreachAffectedSubject affected)
    {
        var facts = incident.Facts;
        var categories = string.Join(", ", affected.Categories);
        var when = facts.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return new LocalizedText(
            $"个人信息安全事件通知（{incident.Id}）：{when} 发生的事件涉及您监护的未成年人的以下个人信息：{categories}。原因：{facts.Cause}。可能的危害：{facts.Harm}。已采取及您可采取的补救措施：{facts.Remedies}。联系方式：{facts.Contact}。",
            $"Personal-information incident notice ({incident.Id}): an incident at {when} involved these categories of the personal information of the minor in your care: {categories}. Cause: {facts.Cause}. Possible harm: {facts.Harm}. Remedies taken and what you can do: {facts.Remedies}. Contact: {facts.Contact}.");
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
