using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Subjects;

namespace TeenMode.Testing;

/// <summary>
/// The store implementations a <see cref="StoreContractTests"/> run exercises (one object implementing every
/// store interface, or several), plus the clean-up that runs when the test ends (e.g. deleting a temporary database).
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly object[] _parts;
    private readonly Func<ValueTask>? _cleanup;

    /// <summary>Wraps store implementations; each interface is taken from the first part that implements it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> or one of them is null.</exception>
    public StoreUnderTest(IEnumerable<object> parts, Func<ValueTask>? cleanup = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        _parts = [.. parts];
        foreach (var part in _parts)
        {
            ArgumentNullException.ThrowIfNull(part, nameof(parts));
        }

        _cleanup = cleanup;
    }

    /// <summary>The subject store.</summary>
    public ISubjectStore Subjects => Get<ISubjectStore>();

    /// <summary>The usage ledger.</summary>
    public IUsageLedgerStore Ledger => Get<IUsageLedgerStore>();

    /// <summary>The guardian store.</summary>
    public IGuardianStore Guardians => Get<IGuardianStore>();

    /// <summary>The content catalog.</summary>
    public IContentCatalog Content => Get<IContentCatalog>();

    /// <summary>The report store.</summary>
    public IReportStore Reports => Get<IReportStore>();

    /// <summary>The guardian-verification lockout store.</summary>
    public IGuardianLockoutStore Lockouts => Get<IGuardianLockoutStore>();

    /// <summary>The game spending ledger.</summary>
    public IGameSpendLedgerStore GameSpend => Get<IGameSpendLedgerStore>();

    /// <summary>The blocked-attempt counters of the guardian usage report.</summary>
    public IBlockedAttemptStore BlockedAttempts => Get<IBlockedAttemptStore>();
    /// <summary>The spending ledger outside games, with refund requests.</summary>
    public Spending.ISpendingLedgerStore Spending => Get<Spending.ISpendingLedgerStore>();
    /// <summary>The guardian binding-code store.</summary>
    public IGuardianBindingCodeStore BindingCodes => Get<IGuardianBindingCodeStore>();

    /// <summary>The guardian settings store.</summary>
    public IGuardianSettingsStore GuardianSettings => Get<IGuardianSettingsStore>();

    /// <summary>The audit store.</summary>
    public IAuditStore Audit => Get<IAuditStore>();

    /// <summary>The personal-information store (consents, values, data-subject requests).</summary>
    public PersonalInfo.IPersonalInfoStore PersonalInfo => Get<PersonalInfo.IPersonalInfoStore>();

    /// <summary>Wraps one object that implements every store interface.</summary>
    public static StoreUnderTest For(object store, Func<ValueTask>? cleanup = null) => new([store], cleanup);

    /// <summary>The part implementing <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">No part implements it: the store is incomplete.</exception>
    public T Get<T>()
        where T : class =>
        _parts.OfType<T>().FirstOrDefault()
        ?? throw new InvalidOperationException($"The store under test implements no {typeof(T).Name}.");

    /// <summary>Runs the clean-up given at construction.</summary>
    public ValueTask DisposeAsync() => _cleanup?.Invoke() ?? ValueTask.CompletedTask;
}
