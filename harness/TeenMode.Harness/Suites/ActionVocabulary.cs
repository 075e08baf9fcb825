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
        ["bindGuardian"] = "The guardian's side of a binding (args: subjectId, guardianId, pin, bindingCode, existingGuardianPin → allowed, reasonCode).",
        ["enterTeenMode"] = "Turn teen mode on (args: subjectId).",
        ["exitTeenMode"] = "Turn teen mode off with guardian verification (args: subjectId, guardianPin).",
        ["getUsageReport"] = "Read the guardian usage report (args: subjectId, guardianId, from, to as yyyy-MM-dd → totalMinutes, firstDayMinutes, blockedTotal, blockedCurfew, spentTotal, reasonCode).",
        ["changeSettings"] = "Change guardian settings (args: subjectId, guardianPin, dailyMinutes, curfew, exemptCategories, features, spendingCaps → dailyMinutes, reasonCode).",
        ["heartbeat"] = "Report usage time (args: subjectId, deviceId, sequence, seconds, category → allowed, outcome, reasonCode).",
        ["checkUsage"] = "May the subject use the app now (args: subjectId, category → allowed, outcome, reasonCode, remainingSeconds).",
        ["checkContent"] = "May the subject open an item (args: subjectId, itemId → allowed, reasonCode).",
        ["loadFeed"] = "Load the subject's feed or search it (args: subjectId, cursor, limit, q, category, itemId: an item to look for → firstId, secondId, firstFormat, mayAffectItem, listed: the page holds itemId).",

        // Content pool (issue 4).
        ["loadHotList"] = "Load the hot list (args: subjectId, limit → firstId, mayAffectItem).",
        ["checkPlacement"] = "May an item go in a prominent placement (args: subjectId, itemId, placement: home-first-screen, popup, hot-list → allowed, reasonCode).",
        ["getContentRichness"] = "Read the pool richness report (→ assessed, firstBand, thinBand).",

        // Online games (issue 3).
        ["checkGamePlay"] = "May the subject play an online game now (args: subjectId → allowed, outcome, reasonCode, retryAt).",
        ["gameTopUp"] = "Top up game currency with a game company (args: subjectId, gameCompanyId, amount as text \"50.00\" → allowed, reasonCode, month, monthTotal, monthlyCap).",

        ["purchase"] = "Pay in an app category other than games, against the spending caps (args: subjectId, category, amount as text \"50.00\", itemId → allowed, reasonCode, spendId, localDate, dayTotal, monthTotal).",
        ["collectField"] = "Collect a personal-information field (args: subjectId, field, purpose, value → allowed, reasonCode).",
        ["giveConsent"] = "Record a guardian's separate consent or refusal (args: subjectId, guardianId, purposes, noticeHash, decision granted|refused → consentId, decision, deletedCount).",
        ["withdrawConsent"] = "Withdraw a guardian's consent (args: subjectId, guardianId, purposes → decision, deletedCount).",
        ["dataSubjectRequest"] = "File an access, correction or deletion request (args: subjectId, kind, requesterId, field, purpose, value → requestId, requestStatus, valueCount, nicknameValue, firstPurpose, deletedCount).",
        ["fileReport"] = "File a report (args: idempotencyKey, reporterKind, category, targetKind, targetId, description → reportId, status).",
        ["getReport"] = "Read a report's status as a reader (args: reportId, readerId: the reporter or a guardian of the minor concerned; a report filed under a reporterId is refused to anyone else with report-not-visible → reportStatus, reasonCode).",
        ["getGuardianUsageReport"] = "Read the guardian's usage report (args: subjectId).",

        // Reporting channel (issue 6).
        ["reviewReport"] = "Move a report through the workflow as a reviewer (args: reportId, step triage|action|reject|close, actions, reason → allowed, reasonCode).",
        ["listSubjectReports"] = "List the reports about a minor, as the guardian sees them (args: subjectId → count, firstStatus, firstOutcome).",
        ["listOverdueReports"] = "List overdue reports (args: reportId filter → count, reportIds).",
        ["dispatchAuthorityNotices"] = "Deliver queued authority notices now (→ due, delivered, failed).",
        ["getAuthorityReceipts"] = "What the authority sink received for a report (args: reportId → count, idempotencyKeys).",

        // Spending outside games and refunds (issue 3).
        ["listSpends"] = "List a subject's spends for the guardian's report (args: subjectId → count, total, firstSpendId, firstRefunded).",
        ["fileRefundRequest"] = "A guardian asks for a refund of a spend made without consent (args: subjectId, spendId, guardianId, reason → refundId, refundStatus, dueAt, reasonCode).",
        ["getRefundRequest"] = "Read a refund request (args: refundId → refundStatus, dueAt, decisionReason).",
        ["decideRefundRequest"] = "Approve or refuse a refund request as the platform (args: refundId, decision approve|refuse, reason → refundStatus, decisionReason, reasonCode).",
        // Personal-information protection (issue 5).
        ["probeLog"] = "Make the app log a line of text as it would log a request it handles (args: text).",
        ["searchLogs"] = "Count the app's recent log lines holding a value (args: value → captured, matches, found).",
        ["declareBreach"] = "Declare a personal-information incident (args: subjectId, categories, cause, harm, remedies, contact → incidentId, status, noticeCount).",
        ["notifyBreach"] = "Deliver the incident's guardian notices (args: incidentId → status, noticesSent).",
        ["reportBreach"] = "Submit the incident's authority report (args: incidentId → status).",
        ["getBreachReport"] = "Read the incident's authority report (args: incidentId → status, affectedSubjectCount, firstAffectedSubject, categoryCount).",
        ["listBreachNotices"] = "List the incident notices about a minor, as the guardian sees them (args: subjectId → count, firstRecipient).",
        // Guardians and guardian settings (issue 3).
        ["startGuardianBinding"] = "The minor's side of a guardian binding: a one-time code (args: subjectId → bindingCode).",
        ["getSettings"] = "Read the subject's settings in force (args: subjectId → dailyMinutes, curfewStart, band).",
        ["checkFeature"] = "May the subject use a feature now (args: subjectId, feature e.g. stranger-dm → allowed, reasonCode).",
    };

    /// <summary>
    /// The arguments each action may receive from a suite step. A profile template may name these, its own
    /// <c>let</c> and <c>capture</c> names, remembered values and profile variables; anything else is a typo.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Args { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["info"] = [],
        ["createSubject"] = ["age", "birthDate", "teenMode"],
        ["getSubject"] = ["subjectId"],
        ["setClock"] = ["frozen", "instant", "local"],
        ["advanceClock"] = ["seconds"],
        ["createContent"] = ["bands", "category", "flags", "format", "itemId", "mayAffectMinors", "popularity", "title"],
        ["bindGuardian"] = ["bindingCode", "existingGuardianPin", "guardianId", "pin", "subjectId"],
        ["enterTeenMode"] = ["subjectId"],
        ["exitTeenMode"] = ["guardianPin", "subjectId"],
        ["getUsageReport"] = ["from", "guardianId", "subjectId", "to"],
        ["changeSettings"] = ["curfew", "dailyMinutes", "exemptCategories", "features", "guardianPin", "spendingCaps", "subjectId"],
        ["heartbeat"] = ["category", "deviceId", "seconds", "sequence", "subjectId"],
        ["checkUsage"] = ["category", "subjectId"],
        ["checkContent"] = ["itemId", "subjectId"],
        ["loadFeed"] = ["category", "cursor", "itemId", "limit", "q", "subjectId"],
        ["loadHotList"] = ["limit", "subjectId"],
        ["checkPlacement"] = ["itemId", "placement", "subjectId"],
        ["getContentRichness"] = [],
        ["checkGamePlay"] = ["subjectId"],
        ["gameTopUp"] = ["amount", "gameCompanyId", "subjectId"],
        ["purchase"] = ["amount", "category", "itemId", "subjectId"],
        ["collectField"] = ["field", "purpose", "subjectId", "value"],
        ["giveConsent"] = ["decision", "guardianId", "noticeHash", "purposes", "subjectId"],
        ["withdrawConsent"] = ["guardianId", "purposes", "subjectId"],
        ["dataSubjectRequest"] = ["field", "kind", "purpose", "requesterId", "subjectId", "value"],
        ["fileReport"] = ["category", "description", "evidence", "idempotencyKey", "reporterId", "reporterKind", "subjectId", "targetId", "targetKind"],
        ["getReport"] = ["readerId", "reportId"],
        ["getGuardianUsageReport"] = ["subjectId"],
        ["reviewReport"] = ["actions", "reason", "reportId", "step"],
        ["listSubjectReports"] = ["subjectId"],
        ["listOverdueReports"] = ["reportId"],
        ["dispatchAuthorityNotices"] = [],
        ["getAuthorityReceipts"] = ["reportId"],
        ["listSpends"] = ["subjectId"],
        ["fileRefundRequest"] = ["guardianId", "reason", "spendId", "subjectId"],
        ["getRefundRequest"] = ["refundId"],
        ["decideRefundRequest"] = ["decision", "reason", "refundId"],
        ["probeLog"] = ["text"],
        ["searchLogs"] = ["value"],
        ["declareBreach"] = ["categories", "cause", "contact", "harm", "occurredAt", "remedies", "subjectId"],
        ["notifyBreach"] = ["incidentId"],
        ["reportBreach"] = ["incidentId"],
        ["getBreachReport"] = ["incidentId"],
        ["listBreachNotices"] = ["subjectId"],
        ["startGuardianBinding"] = ["subjectId"],
        ["getSettings"] = ["subjectId"],
        ["checkFeature"] = ["feature", "subjectId"],
    };

    /// <summary>The JSON type of result fields the suite compares: <c>boolean</c>, <c>integer</c> or <c>string</c> (a field not listed may hold anything).</summary>
    public static IReadOnlyDictionary<string, string> ResultTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["allowed"] = "boolean",
        ["teenMode"] = "boolean",
        ["assessed"] = "boolean",
        ["frozen"] = "boolean",
        ["overdue"] = "boolean",
        ["found"] = "boolean",
        ["logged"] = "boolean",
        ["firstRefunded"] = "boolean",
        ["listed"] = "boolean",
        ["status"] = "integer",
        ["remainingSeconds"] = "integer",
        ["count"] = "integer",
        ["due"] = "integer",
        ["delivered"] = "integer",
        ["failed"] = "integer",
        ["valueCount"] = "integer",
        ["deletedCount"] = "integer",
        ["noticeCount"] = "integer",
        ["noticesSent"] = "integer",
        ["noticesTotal"] = "integer",
        ["affectedSubjectCount"] = "integer",
        ["birthDateCount"] = "integer",
        ["categoryCount"] = "integer",
        ["matches"] = "integer",
        ["captured"] = "integer",
        ["totalMinutes"] = "integer",
        ["firstDayMinutes"] = "integer",
        ["blockedTotal"] = "integer",
        ["blockedCurfew"] = "integer",
        ["dailyMinutes"] = "integer",
        ["age"] = "integer",
        ["totalItems"] = "integer",
        ["reasonCode"] = "string",
        ["outcome"] = "string",
        ["subjectId"] = "string",
        ["band"] = "string",
        ["itemId"] = "string",
        ["bindingCode"] = "string",
        ["reportId"] = "string",
        ["reportStatus"] = "string",
        ["refundId"] = "string",
        ["refundStatus"] = "string",
        ["spendId"] = "string",
        ["consentId"] = "string",
        ["decision"] = "string",
        ["incidentId"] = "string",
        ["breachStatus"] = "string",
        ["requestId"] = "string",
        ["requestStatus"] = "string",
        ["firstId"] = "string",
        ["secondId"] = "string",
        ["localDate"] = "string",
        ["dayTotal"] = "string",
        ["monthTotal"] = "string",
        ["spentTotal"] = "string",
        ["total"] = "string",
        ["amount"] = "string",
        ["monthlyCap"] = "string",
        ["month"] = "string",
        ["firstBand"] = "string",
        ["thinBand"] = "string",
        ["birthDate"] = "string",
        ["ageSource"] = "string",
        ["category"] = "string",
    };

    /// <summary>True when <paramref name="action"/> is in the vocabulary.</summary>
    public static bool Contains(string action) => All.ContainsKey(action);
}
