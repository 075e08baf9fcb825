using System.Diagnostics.CodeAnalysis;

namespace TeenMode;

/// <summary>
/// A stable, string-backed reason for a decision. Reason codes are the public contract
/// shared by apps, the HTTP API and the harness; every well-known code is listed here.
/// </summary>
public readonly struct ReasonCode : IEquatable<ReasonCode>
{
    private readonly string? _value;

    /// <summary>Creates a reason code from its wire name.</summary>
    public ReasonCode(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The wire name, e.g. <c>curfew</c>.</summary>
    public string Value => _value ?? Allowed._value!;

    /// <summary>Nothing stood in the way.</summary>
    public static ReasonCode Allowed { get; } = new("allowed");

    /// <summary>The subject is not in teen mode, so teen-mode rules do not apply.</summary>
    public static ReasonCode TeenModeOff { get; } = new("teen-mode-off");

    /// <summary>Local time is inside the night curfew.</summary>
    public static ReasonCode Curfew { get; } = new("curfew");

    /// <summary>Today's time budget is used up.</summary>
    public static ReasonCode DailyLimitReached { get; } = new("daily-limit-reached");

    /// <summary>Continuous use reached the rest-reminder interval (a notice, not a denial).</summary>
    public static ReasonCode RestReminder { get; } = new("rest-reminder");

    /// <summary>The item is not in the teen-mode content pool.</summary>
    public static ReasonCode ContentNotInPool { get; } = new("content-not-in-pool");

    /// <summary>The item is in the pool but not suitable for the subject's age band.</summary>
    public static ReasonCode ContentNotSuitableForBand { get; } = new("content-not-suitable-for-band");

    // Content pool (issue 4).

    /// <summary>Normal mode: the item may affect minors, so the app shows a prominent notice before it (a notice, not a denial).</summary>
    public static ReasonCode MayAffectMinorsNotice { get; } = new("may-affect-minors-notice");

    /// <summary>The item is themed on fan fundraising, vote-ranking or traffic manipulation: never offered in teen mode.</summary>
    public static ReasonCode ForbiddenTopic { get; } = new("forbidden-topic");

    /// <summary>A commercial advertisement that no reviewer allow-listed, in teen mode.</summary>
    public static ReasonCode AdvertisementBlocked { get; } = new("advertisement-blocked");

    /// <summary>An external link that no reviewer allow-listed, in teen mode.</summary>
    public static ReasonCode ExternalLinkBlocked { get; } = new("external-link-blocked");

    /// <summary>The item may affect minors, so it never goes on the home first screen, a pop-up or a hot list.</summary>
    public static ReasonCode ProminentPlacementForbidden { get; } = new("prominent-placement-forbidden");

    /// <summary>The action needs a guardian's verification, and none was given.</summary>
    public static ReasonCode GuardianVerificationRequired { get; } = new("guardian-verification-required");

    /// <summary>A guardian credential was given and did not verify.</summary>
    public static ReasonCode GuardianVerificationFailed { get; } = new("guardian-verification-failed");

    /// <summary>Too many failed guardian verifications: no credential is checked until <see cref="DecisionDetails.RetryAt"/>.</summary>
    public static ReasonCode GuardianLockedOut { get; } = new("guardian-locked-out");

    /// <summary>The subject has no guardian bound, so nothing can verify the action.</summary>
    public static ReasonCode NoGuardianBound { get; } = new("no-guardian-bound");

    /// <summary>The subject is unknown.</summary>
    public static ReasonCode UnknownSubject { get; } = new("unknown-subject");

    /// <summary>The heartbeat was already counted (same device and sequence).</summary>
    public static ReasonCode DuplicateHeartbeat { get; } = new("duplicate-heartbeat");

    /// <summary>State could not be read, so the request of a minor is denied (fail closed).</summary>
    public static ReasonCode StoreUnavailable { get; } = new("store-unavailable");

    /// <summary>An idempotency key was reused with a different request.</summary>
    public static ReasonCode IdempotencyKeyReused { get; } = new("idempotency-key-reused");

    /// <summary>No report has that id.</summary>
    public static ReasonCode UnknownReport { get; } = new("unknown-report");

    /// <summary>The report's status does not allow that step now (e.g. closing a report nobody has triaged, or another reviewer moved it first).</summary>
    public static ReasonCode ReportTransitionNotAllowed { get; } = new("report-transition-not-allowed");

    /// <summary>The app could not carry out a report action (take down, block, unlink); nothing was recorded.</summary>
    public static ReasonCode ReportActionFailed { get; } = new("report-action-failed");

    /// <summary>The report was filed under a reporter's id, and the reader is neither that reporter nor a bound guardian of the minor it concerns.</summary>
    public static ReasonCode ReportNotVisible { get; } = new("report-not-visible");

    // Online games (issue 3, NPPA rules).

    /// <summary>Games: today is a play day, but local time is outside the play window (20:00–21:00 under the NPPA rules).</summary>
    public static ReasonCode GameOutsidePlayWindow { get; } = new("game-outside-play-window");

    /// <summary>Games: today is neither a play weekday nor a statutory holiday.</summary>
    public static ReasonCode GameNotPlayDay { get; } = new("game-not-play-day");

    /// <summary>Games: today is a make-up workday (调休), so not a play day even on a weekend.</summary>
    public static ReasonCode GameMakeupWorkday { get; } = new("game-makeup-workday");

    /// <summary>Games: no holiday calendar covers today's year, so play days cannot be known (fail closed; a configuration issue).</summary>
    public static ReasonCode GameCalendarMissing { get; } = new("game-calendar-missing");

    /// <summary>Games: the subject's age tier allows no payment at all (under 8 under the NPPA rules).</summary>
    public static ReasonCode GamePaymentUnder8 { get; } = new("game-payment-under-8");

    /// <summary>Games: the top-up is larger than one top-up may be for the subject's age.</summary>
    public static ReasonCode SpendOverTransactionCap { get; } = new("spend-over-transaction-cap");

    /// <summary>Games: the top-up would take this month's total with the game company over the monthly cap.</summary>
    public static ReasonCode SpendOverMonthlyCap { get; } = new("spend-over-monthly-cap");

    // Spending outside games and refunds (issue 3).

    /// <summary>Spending: the payment would take the local day's total in the category over the daily cap.</summary>
    public static ReasonCode SpendOverDailyCap { get; } = new("spend-over-daily-cap");

    /// <summary>Spending: the category allows the subject no payment at all (a zero cap, e.g. live-streaming tips for minors).</summary>
    public static ReasonCode SpendingNotAllowed { get; } = new("spending-not-allowed");

    /// <summary>Refunds: no spend of this subject has that id.</summary>
    public static ReasonCode UnknownSpend { get; } = new("unknown-spend");

    /// <summary>Refunds: no refund request has that id.</summary>
    public static ReasonCode UnknownRefundRequest { get; } = new("unknown-refund-request");

    /// <summary>Refunds: a refusal needs a written reason for the guardian.</summary>
    public static ReasonCode RefundReasonRequired { get; } = new("refund-reason-required");

    /// <summary>Refunds: the request was already approved or refused (compare-and-set lost); nothing changed.</summary>
    public static ReasonCode RefundTransitionNotAllowed { get; } = new("refund-transition-not-allowed");

    // Personal-information protection: staff access and incidents (issue 5).

    /// <summary>A staff member read a minor's personal data without an active, approved grant.</summary>
    public static ReasonCode StaffAccessNotGranted { get; } = new("staff-access-not-granted");

    /// <summary>The approver is the requester, or not one of the responsible approvers.</summary>
    public static ReasonCode StaffApproverNotAllowed { get; } = new("staff-approver-not-allowed");

    /// <summary>The staff access request is unknown or already decided.</summary>
    public static ReasonCode StaffAccessNotPending { get; } = new("staff-access-not-pending");

    /// <summary>No personal-information incident has that id.</summary>
    public static ReasonCode UnknownBreach { get; } = new("unknown-breach");

    /// <summary>The incident's status does not allow that step (order: declared → notified → reported).</summary>
    public static ReasonCode BreachTransitionNotAllowed { get; } = new("breach-transition-not-allowed");

    /// <summary>Some guardian notices of the incident could not be delivered yet; they stay queued.</summary>
    public static ReasonCode BreachNoticesPending { get; } = new("breach-notices-pending");

    // Guardians and guardian settings (issue 3).

    /// <summary>The guardian's side gave no valid one-time binding code from the minor's side (missing, wrong, used or expired).</summary>
    public static ReasonCode BindingCodeInvalid { get; } = new("binding-code-invalid");

    /// <summary>The guardian credential is of a kind no verifier is registered for.</summary>
    public static ReasonCode CredentialKindUnsupported { get; } = new("credential-kind-unsupported");

    /// <summary>The guardian to unbind is not bound to the subject.</summary>
    public static ReasonCode GuardianNotBound { get; } = new("guardian-not-bound");

    /// <summary>A guardian setting would loosen protection beyond the rule pack's bounds; nothing was changed.</summary>
    public static ReasonCode SettingOutOfBounds { get; } = new("setting-out-of-bounds");

    /// <summary>The feature is off for this subject (teen-mode default or guardian choice).</summary>
    public static ReasonCode FeatureDisabled { get; } = new("feature-disabled");

    /// <summary>The rule pack names no such feature (fail closed).</summary>
    public static ReasonCode UnknownFeature { get; } = new("unknown-feature");

    /// <summary>The app category is exempt (pack default or guardian exemption): allowed in curfew and past the budget, and not counted.</summary>
    public static ReasonCode ExemptCategory { get; } = new("exempt-category");

    // Personal information (issue 5).

    /// <summary>Personal information: the purpose is not declared in the app's data inventory.</summary>
    public static ReasonCode PurposeNotDeclared { get; } = new("purpose-not-declared");

    /// <summary>Personal information: the declared purpose does not need that field (or the field is not declared).</summary>
    public static ReasonCode FieldNotNeededForPurpose { get; } = new("field-not-needed-for-purpose");

    /// <summary>Personal information: the subject is under the guardian-consent age and no guardian consent to the purpose is recorded.</summary>
    public static ReasonCode ConsentRequired { get; } = new("consent-required");

    /// <summary>Personal information: the guardian refused consent to the purpose.</summary>
    public static ReasonCode ConsentRefused { get; } = new("consent-refused");

    /// <summary>Personal information: the guardian withdrew consent to the purpose.</summary>
    public static ReasonCode ConsentWithdrawn { get; } = new("consent-withdrawn");

    /// <summary>Personal information: the purpose or field (precise location, personalised ads) is off for minors until a guardian turns it on.</summary>
    public static ReasonCode OffByDefaultForMinors { get; } = new("off-by-default-for-minors");

    /// <summary>Personal information: no data-subject request has that id.</summary>
    public static ReasonCode UnknownDataSubjectRequest { get; } = new("unknown-data-subject-request");

    /// <summary>Personal information: a stored value failed its integrity check (tampered, or unknown key) and was not returned.</summary>
    public static ReasonCode PersonalDataIntegrity { get; } = new("personal-data-integrity");

    // Age assurance (issue 16).

    /// <summary>An identity number is not 17 digits followed by a digit or X.</summary>
    public static ReasonCode IdentityNumberMalformed { get; } = new("identity-number-malformed");

    /// <summary>An identity number's first six digits are not a region code (GB/T 2260 province prefix).</summary>
    public static ReasonCode IdentityNumberRegion { get; } = new("identity-number-region");

    /// <summary>An identity number's birth date does not exist (month 13, 30 February) or is before 1900.</summary>
    public static ReasonCode IdentityNumberBirthDate { get; } = new("identity-number-birth-date");

    /// <summary>An identity number's birth date lies in the future.</summary>
    public static ReasonCode IdentityNumberBirthDateFuture { get; } = new("identity-number-birth-date-future");

    /// <summary>An identity number's last character is not its ISO 7064 MOD 11-2 check character.</summary>
    public static ReasonCode IdentityNumberCheckCharacter { get; } = new("identity-number-check-character");

    /// <summary>Online games: no game service and no payment to a user who is not real-name verified.</summary>
    public static ReasonCode RealNameRequired { get; } = new("real-name-required");

    /// <summary>The real-name check is still in progress at the provider; the user is treated as unverified.</summary>
    public static ReasonCode RealNamePending { get; } = new("real-name-pending");

    /// <summary>The real-name provider found no match for the name and identity number.</summary>
    public static ReasonCode RealNameFailed { get; } = new("real-name-failed");

    /// <summary>The real-name provider could not be reached; the user is treated as unverified.</summary>
    public static ReasonCode RealNameUnavailable { get; } = new("real-name-unavailable");

    /// <summary>An operating-system age signal was declined or unknown: teen mode applies the most protective band.</summary>
    public static ReasonCode AgeSignalDeclined { get; } = new("age-signal-declined");

    /// <summary>An operating-system age signal says the user is an adult; the stored age is left as it was.</summary>
    public static ReasonCode AgeSignalAdult { get; } = new("age-signal-adult");

    /// <summary>The device is in system-wide minor mode, so teen mode cannot be left in the app.</summary>
    public static ReasonCode DeviceMinorModeOn { get; } = new("device-minor-mode-on");

    /// <summary>Every well-known reason code, for documentation and for the harness.</summary>
    public static IReadOnlyList<ReasonCode> WellKnown { get; } =
    [
        Allowed, TeenModeOff, Curfew, DailyLimitReached, RestReminder, ContentNotInPool,
        ContentNotSuitableForBand, GuardianVerificationRequired, GuardianVerificationFailed, GuardianLockedOut,
        NoGuardianBound, UnknownSubject, DuplicateHeartbeat, StoreUnavailable, IdempotencyKeyReused,
        UnknownReport, ReportTransitionNotAllowed, ReportActionFailed, ReportNotVisible,
        MayAffectMinorsNotice, ForbiddenTopic, AdvertisementBlocked, ExternalLinkBlocked, ProminentPlacementForbidden,
        GameOutsidePlayWindow, GameNotPlayDay, GameMakeupWorkday, GameCalendarMissing, GamePaymentUnder8,
        SpendOverTransactionCap, SpendOverMonthlyCap,
        SpendOverDailyCap, SpendingNotAllowed, UnknownSpend, UnknownRefundRequest, RefundReasonRequired, RefundTransitionNotAllowed,
        StaffAccessNotGranted, StaffApproverNotAllowed, StaffAccessNotPending, UnknownBreach, BreachTransitionNotAllowed, BreachNoticesPending,
        BindingCodeInvalid, CredentialKindUnsupported, GuardianNotBound, SettingOutOfBounds, FeatureDisabled, UnknownFeature, ExemptCategory,
        PurposeNotDeclared, FieldNotNeededForPurpose, ConsentRequired, ConsentRefused, ConsentWithdrawn, OffByDefaultForMinors,
        UnknownDataSubjectRequest, PersonalDataIntegrity,
        IdentityNumberMalformed, IdentityNumberRegion, IdentityNumberBirthDate, IdentityNumberBirthDateFuture, IdentityNumberCheckCharacter,
        RealNameRequired, RealNamePending, RealNameFailed, RealNameUnavailable, AgeSignalDeclined, AgeSignalAdult, DeviceMinorModeOn,
    ];

    /// <inheritdoc />
    public bool Equals(ReasonCode other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ReasonCode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two codes by wire name.</summary>
    public static bool operator ==(ReasonCode left, ReasonCode right) => left.Equals(right);

    /// <summary>Compares two codes by wire name.</summary>
    public static bool operator !=(ReasonCode left, ReasonCode right) => !left.Equals(right);
}
