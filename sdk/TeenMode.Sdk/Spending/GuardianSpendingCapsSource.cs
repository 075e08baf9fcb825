using TeenMode.ParentalControl;
using TeenMode.Rules;

namespace TeenMode.Spending;

/// <summary>
/// The rule pack's caps, lowered by any cap a guardian set for the category (REG-MINOR-43: guardians manage spending).
/// A guardian's cap can only lower the pack's, never raise it; the settings service already refuses anything else.
/// </summary>
internal sealed class GuardianSpendingCapsSource(RulePack pack, IGuardianSettingsStore settings) : ISpendingCapsSource
{
    private static readonly string[] GuardianRequirementIds = ["REG-MINOR-43", "CAC-MM-PARENT-01"];
    private readonly RulePackSpendingCapsSource _pack = new(pack);

    /// <inheritdoc />
    public async Task<SpendingCaps> GetCapsAsync(string subjectId, AgeBand band, string category, CancellationToken cancellationToken = default)
    {
        var caps = await _pack.GetCapsAsync(subjectId, band, category, cancellationToken).ConfigureAwait(false);
        var stored = await settings.GetSettingsAsync(subjectId, cancellationToken).ConfigureAwait(false);
        if (stored is null || !stored.SpendingCaps.TryGetValue(category, out var guardian))
        {
            return caps;
        }

        return caps.Tighten(new SpendingCaps(
            guardian.PerTransaction ?? caps.PerTransaction,
            guardian.PerDay ?? caps.PerDay,
            guardian.PerMonth ?? caps.PerMonth,
            caps.Basis,
            GuardianRequirementIds));
    }
}
