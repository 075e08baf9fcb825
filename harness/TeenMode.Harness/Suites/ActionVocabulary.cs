namespace TeenMode.Harness.Suites;

/// <summary>
/// The driver-neutral actions a suite may use. A profile maps each onto one app's API;
/// names outside this list are typos, so both suites and profiles are checked against it.
/// </summary>
public static class ActionVocabulary
{
    /// <summary>Every action name with a one-line meaning.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["info"] = "Describe the driver (reachability probe; may return capabilities).",
        ["createSubject"] = "Create a synthetic subject (args: age, teenMode → subjectId).",
        ["getSubject"] = "Read a subject (args: subjectId → teenMode, band).",
        ["setClock"] = "Set the app's virtual clock (args: local or instant).",
        ["advanceClock"] = "Advance the virtual clock (args: seconds).",
        ["createContent"] = "Add a content item (args: bands, mayAffectMinors, category, title → itemId).",
        ["bindGuardian"] = "Bind a guardian (args: subjectId, guardianId, pin).",
        ["enterTeenMode"] = "Turn teen mode on (args: subjectId).",
        ["exitTeenMode"] = "Turn teen mode off with guardian verification (args: subjectId, guardianPin).",
        ["changeSettings"] = "Change a guardian setting (args: subjectId, guardianPin, settings).",
        ["heartbeat"] = "Report usage time (args: subjectId, deviceId, sequence, seconds → allowed, outcome, reasonCode).",
        ["checkUsage"] = "May the subject use the app now (args: subjectId → allowed, outcome, reasonCode).",
        ["checkContent"] = "May the subject open an item (args: subjectId, itemId → allowed, reasonCode).",
        ["loadFeed"] = "Load the subject's feed or search it (args: subjectId, cursor, limit, q, category → firstId, secondId, firstFormat, mayAffectItem).",

        // Content pool (issue 4).
        ["loadHotList"] = "Load the hot list (args: subjectId, limit → firstId, mayAffectItem).",
        ["checkPlacement"] = "May an item go in a prominent placement (args: subjectId, itemId, placement: home-first-screen, popup, hot-list → allowed, reasonCode).",
        ["getContentRichness"] = "Read the pool richness report (→ assessed, firstBand, thinBand).",

        // Online games (issue 3).
        ["checkGamePlay"] = "May the subject play an online game now (args: subjectId → allowed, outcome, reasonCode, retryAt).",
        ["gameTopUp"] = "Top up game currency with a game company (args: subjectId, gameCompanyId, amount as text \"50.00\" → allowed, reasonCode, month, monthTotal, monthlyCap).",

        ["purchase"] = "Attempt a purchase (args: subjectId, amount).",
        ["collectField"] = "Collect a personal-information field (args: subjectId, field, purpose, value → allowed, reasonCode).",
        ["giveConsent"] = "Record a guardian's separate consent or refusal (args: subjectId, guardianId, purposes, noticeHash, decision granted|refused → consentId, decision, deletedCount).",
        ["withdrawConsent"] = "Withdraw a guardian's consent (args: subjectId, guardianId, purposes → decision, deletedCount).",
        ["dataSubjectRequest"] = "File an access, correction or deletion request (args: subjectId, kind, requesterId, field, purpose, value → requestId, requestStatus, valueCount, nicknameValue, firstPurpose, deletedCount).",
        ["fileReport"] = "File a report (args: idempotencyKey, reporterKind, category, targetKind, targetId, description → reportId, status).",
        ["getReport"] = "Read a report's status (args: reportId → status).",
        ["getGuardianUsageReport"] = "Read the guardian's usage report (args: subjectId).",

        // Reporting channel (issue 6).
        ["reviewReport"] = "Move a report through the workflow as a reviewer (args: reportId, step triage|action|reject|close, actions, reason → allowed, reasonCode).",
        ["listSubjectReports"] = "List the reports about a minor, as the guardian sees them (args: subjectId → count, firstStatus, firstOutcome).",
        ["listOverdueReports"] = "List overdue reports (args: reportId filter → count, reportIds).",
        ["dispatchAuthorityNotices"] = "Deliver queued authority notices now (→ due, delivered, failed).",
        ["getAuthorityReceipts"] = "What the authority sink received for a report (args: reportId → count, idempotencyKeys).",
    };

    /// <summary>True when <paramref name="action"/> is in the vocabulary.</summary>
    public static bool Contains(string action) => All.ContainsKey(action);
}
