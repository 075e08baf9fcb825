using TeenMode.Audit;
using TeenMode.Rules;
using TeenMode.Subjects;

namespace TeenMode.ParentalControl;

/// <summary>
/// A subject's settings in force: the rule pack's defaults for the band, with the guardians' changes applied.
/// One set per subject, whichever device asks.
/// </summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="TeenMode">Whether teen mode is on (features and time limits apply only then).</param>
/// <param name="Rules">The band's time rules with the guardian's daily limit and curfew applied.</param>
/// <param name="ExemptCategories">App categories allowed in curfew and past the budget, and not counted.</param>
/// <param name="ExemptRequirementIds">Why exempt categories are exempt.</param>
/// <param name="Features">Each feature of the pack: on or off for this subject in teen mode.</param>
/// <param name="SpendingCaps">The guardian's spending caps per app category (tighten-only; the pack's caps apply as well).</param>
/// <param name="Guardian">The guardian's own values, as stored.</param>
public sealed record EffectiveSettings(
    string SubjectId,
    bool TeenMode,
    BandRules Rules,
    IReadOnlySet<string> ExemptCategories,
    IReadOnlyList<string> ExemptRequirementIds,
    IReadOnlyDictionary<string, bool> Features,
    IReadOnlyDictionary<string, GuardianSpendingCaps> SpendingCaps,
    GuardianSettings Guardian)
{
    /// <summary>True when <paramref name="category"/> is exempt from the daily limit and the curfew.</summary>
    public bool IsExempt(string? category) => category is not null && ExemptCategories.Contains(category);
}

/// <summary>Why a proposed setting is refused.</summary>
/// <param name="Field">The setting, as named on the wire (e.g. <c>dailyMinutes</c>, <c>features.stranger-dm</c>).</param>
/// <param name="Message">What is wrong, in zh-CN and English.</param>
public sealed record SettingViolation(string Field, LocalizedText Message);

/// <summary>The result of a settings change.</summary>
/// <param name="Decision">Allowed, or why not; on a denial nothing changed.</param>
/// <param name="Violation">The bound the change broke, when the reason is <c>setting-out-of-bounds</c>.</param>
/// <param name="Effective">The settings in force afterwards (null for an unknown subject).</param>
public sealed record GuardianSettingsUpdate(Decision Decision, SettingViolation? Violation, EffectiveSettings? Effective);

/// <summary>Reads and changes a subject's guardian settings.</summary>
public interface IGuardianSettings
{
    /// <summary>The settings in force for the subject, or null for an unknown subject.</summary>
    Task<EffectiveSettings?> GetEffectiveAsync(string subjectId, CancellationToken cancellationToken = default);

    /// <summary>The settings in force for a subject already read.</summary>
    Task<EffectiveSettings> GetEffectiveAsync(Subject subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored settings. Every change needs a bound guardian's
    /// <paramref name="credential"/>; loosening beyond the rule pack's bounds is refused with <c>setting-out-of-bounds</c>.
    /// On any denial nothing changes. Saved changes are audited (old → new).
    /// </summary>
    Task<GuardianSettingsUpdate> UpdateAsync(string subjectId, GuardianCredential? credential, Func<GuardianSettings, GuardianSettings> change, CancellationToken cancellationToken = default);
}

/// <summary>Checks proposed guardian settings against the rule pack's bounds. Pure.</summary>
public interface IGuardianSettingsPolicy
{
    /// <summary>The first bound <paramref name="proposed"/> breaks for a subject whose age gives <paramref name="ageBand"/>, or null.</summary>
    SettingViolation? Check(RulePack pack, BandRules ageBand, GuardianSettings proposed);
}

/// <summary>The rule pack's bounds: tightening is always allowed, loosening only as far as the pack says.</summary>
internal sealed class GuardianSettingsPolicy : IGuardianSettingsPolicy
{
    /// <inheritdoc />
    public SettingViolation? Check(RulePack pack, BandRules ageBand, GuardianSettings proposed)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(ageBand);
        ArgumentNullException.ThrowIfNull(proposed);
        if (pack.Guardian is not { } g)
        {
            return new("settings", new("本规则包不允许家长修改设置", "This rule pack lets guardians change nothing"));
        }

        var band = ageBand;
        if (proposed.Band is { } chosen)
        {
            // Only the same or a younger band: an older one would lower protection on nothing but a claim.
            if (pack.ForBand(chosen) is not { } rules || chosen.FromAge > ageBand.Band.FromAge)
            {
                return new("band", new($"只能选择与年龄相符或更低的年龄段（当前 {ageBand.Band.Id}）", $"Only the age's own band or a younger one may be chosen (now {ageBand.Band.Id})"));
            }

            band = rules;
        }

        var bounds = g.Bounds[band.Band];
        if (proposed.DailyMinutes is { } minutes && (minutes < 0 || minutes > bounds.MaxDailyMinutes.Value))
        {
            return new("dailyMinutes", new(
                $"每日时长须在 0 至 {bounds.MaxDailyMinutes.Value} 分钟之间",
                $"The daily limit must be between 0 and {bounds.MaxDailyMinutes.Value} minutes"));
        }

        if (proposed.Curfew is { } curfew && !CurfewMath.Covers(new CurfewWindow(curfew.Start, curfew.End, []), bounds.MinCurfew))
        {
            var min = $"{GuardianSettings.Clock(bounds.MinCurfew.Start)}–{GuardianSettings.Clock(bounds.MinCurfew.End)}";
            return new("curfew", new($"禁用时段至少须覆盖 {min}", $"The curfew must cover at least {min}"));
        }

        foreach (var category in proposed.ExemptCategories)
        {
            if (!g.ExemptByDefault.Contains(category) && !g.GuardianMayExempt.Contains(category))
            {
                return new("exemptCategories", new($"“{category}”类应用不可豁免", $"Apps of category '{category}' cannot be exempted"));
            }
        }

        foreach (var (name, on) in proposed.Features)
        {
            if (!g.Features.TryGetValue(name, out var rule))
            {
                return new("features." + name, new($"没有“{name}”这项功能", $"There is no feature '{name}'"));
            }

            if (on && !rule.TeenModeDefault && !rule.GuardianMayEnable)
            {
                return new("features." + name, new($"青少年模式下不可开启“{name}”", $"'{name}' cannot be switched on in teen mode"));
            }
        }

        foreach (var (category, caps) in proposed.SpendingCaps)
        {
            // Caps name the spending pack's categories (games have their own NPPA pack).
            if (pack.Spending is { } spending ? !spending.Categories.Contains(category, StringComparer.Ordinal) : !g.IsKnownCategory(category))
            {
                return new("spendingCaps." + category, new($"未知的消费类别“{category}”", $"Unknown spending category '{category}'"));
            }

            if (caps.PerTransaction < 0 || caps.PerDay < 0 || caps.PerMonth < 0)
            {
                return new("spendingCaps." + category, new("消费上限不能为负数", "A spending cap cannot be negative"));
            }
        }

        return null;
    }
}

internal sealed class GuardianSettingsService(
    ISubjectStore subjects,
    IGuardianSettingsStore store,
    IGuardianSettingsPolicy policy,
    GuardianVerification verification,
    RulePack pack,
    IAuditLog audit,
    TimeProvider time) : IGuardianSettings
{
    private const int MaxAttempts = 5;
    private static readonly IReadOnlySet<string> NoCategories = new HashSet<string>(StringComparer.Ordinal);

    public async Task<EffectiveSettings?> GetEffectiveAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        return subject is null ? null : await GetEffectiveAsync(subject, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EffectiveSettings> GetEffectiveAsync(Subject subject, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var stored = await store.GetSettingsAsync(subject.Id, cancellationToken).ConfigureAwait(false) ?? GuardianSettings.Defaults(subject.Id);
        return Effective(subject, stored);
    }

    public async Task<GuardianSettingsUpdate> UpdateAsync(string subjectId, GuardianCredential? credential, Func<GuardianSettings, GuardianSettings> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var subject = await subjects.GetAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (subject is null)
        {
            return new(Decision.Deny(ReasonCode.UnknownSubject), null, null);
        }

        var ageBand = SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules;
        string? guardianId = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetSettingsAsync(subjectId, cancellationToken).ConfigureAwait(false) ?? GuardianSettings.Defaults(subjectId);
            var proposed = change(current) with { SubjectId = subjectId, Version = current.Version + 1 };

            // Bounds first: an out-of-bounds request is refused the same way whoever sends it, and costs no lockout attempt.
            if (policy.Check(pack, ageBand, proposed) is { } violation)
            {
                return new(Decision.Deny(ReasonCode.SettingOutOfBounds, RequirementIds.GuardianSettings), violation, Effective(subject, current));
            }

            if (guardianId is null)
            {
                var (verified, by) = await verification.VerifyAsync(subjectId, credential, "guardian-settings", RequirementIds.GuardianSettings, cancellationToken).ConfigureAwait(false);
                if (!verified.IsAllowed)
                {
                    return new(verified, null, Effective(subject, current));
                }

                guardianId = by!;
            }

            proposed = proposed with { UpdatedAt = time.GetUtcNow(), UpdatedBy = guardianId };
            if (!await store.TrySaveSettingsAsync(proposed, current.Version, cancellationToken).ConfigureAwait(false))
            {
                continue; // Another guardian saved first: apply the change to theirs and check the bounds again.
            }

            var diff = Diff(current, proposed);
            await audit.AppendAsync(new AuditEvent("guardian:" + guardianId, "guardian-settings-changed", subjectId, null, diff), cancellationToken).ConfigureAwait(false);
            return new(Decision.Allow(), null, Effective(subject, proposed));
        }

        throw new InvalidOperationException($"Guardian settings of '{subjectId}' kept changing under {MaxAttempts} attempts; try again.");
    }

    private EffectiveSettings Effective(Subject subject, GuardianSettings g)
    {
        var rules = SubjectService.Resolve(subject, pack, time.GetUtcNow()).Rules;
        if (g.Band is { } chosen && pack.ForBand(chosen) is { } younger && chosen.FromAge <= rules.Band.FromAge)
        {
            rules = younger;
        }

        if (g.DailyMinutes is { } minutes)
        {
            rules = rules with { DailyMinutes = new Sourced<int>(minutes, RequirementIds.GuardianSettings) };
        }

        if (g.Curfew is { } curfew)
        {
            rules = rules with { Curfew = new CurfewWindow(curfew.Start, curfew.End, [.. rules.Curfew.RequirementIds, "CAC-MM-PARENT-01"]) };
        }

        var exempt = NoCategories;
        IReadOnlyList<string> exemptIds = [];
        var features = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (pack.Guardian is { } rulesForGuardians)
        {
            exempt = new HashSet<string>(rulesForGuardians.ExemptByDefault.Concat(g.ExemptCategories), StringComparer.Ordinal);
            exemptIds = rulesForGuardians.ExemptRequirementIds;
            foreach (var (name, rule) in rulesForGuardians.Features)
            {
                features[name] = g.Features.TryGetValue(name, out var on) ? on : rule.TeenModeDefault;
            }
        }

        return new EffectiveSettings(subject.Id, subject.TeenMode, rules, exempt, exemptIds, features, g.SpendingCaps, g);
    }

    // Old → new per changed value; values only (no credential ever reaches here).
    private static Dictionary<string, string> Diff(GuardianSettings before, GuardianSettings after)
    {
        var a = Describe(before);
        var b = Describe(after);
        var diff = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var old = a.GetValueOrDefault(key, "default");
            var now = b.GetValueOrDefault(key, "default");
            if (old != now)
            {
                diff[key] = old + " → " + now;
            }
        }

        return diff;
    }

    private static Dictionary<string, string> Describe(GuardianSettings s)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        if (s.DailyMinutes is { } m)
        {
            d["dailyMinutes"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (s.Curfew is { } c)
        {
            d["curfew"] = GuardianSettings.Clock(c.Start) + "-" + GuardianSettings.Clock(c.End);
        }

        if (s.Band is { } band)
        {
            d["band"] = band.Id;
        }

        if (s.ExemptCategories.Count > 0)
        {
            d["exemptCategories"] = string.Join(",", s.ExemptCategories.Order(StringComparer.Ordinal));
        }

        foreach (var (name, on) in s.Features)
        {
            d["features." + name] = on ? "on" : "off";
        }

        foreach (var (category, caps) in s.SpendingCaps)
        {
            d["spendingCaps." + category] = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{caps.PerTransaction?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}/{caps.PerDay?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}/{caps.PerMonth?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        }

        return d;
    }
}
