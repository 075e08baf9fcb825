using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Spending;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode.Testing;

/// <summary>
/// The stores a <see cref="StoreContractTests"/> run exercises: one implementation of every interface in
/// <see cref="TeenModeStores.Interfaces"/>, resolved from a service provider set up the way an app sets it up
/// (e.g. <c>AddTeenMode().UseSqlite(path)</c>), plus the clean-up that runs when the test ends.
/// </summary>
public sealed class StoreUnderTest : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<Type, object> _stores;
    private readonly Func<ValueTask>? _cleanup;

    private StoreUnderTest(IReadOnlyDictionary<Type, object> stores, Func<ValueTask>? cleanup)
    {
        _stores = stores;
        _cleanup = cleanup;
    }

    /// <summary>Every store, by its interface (the keys are <see cref="TeenModeStores.Interfaces"/>).</summary>
    public IReadOnlyDictionary<Type, object> All => _stores;

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
    public ISpendingLedgerStore Spending => Get<ISpendingLedgerStore>();

    /// <summary>The guardian binding-code store.</summary>
    public IGuardianBindingCodeStore BindingCodes => Get<IGuardianBindingCodeStore>();

    /// <summary>The guardian settings store.</summary>
    public IGuardianSettingsStore GuardianSettings => Get<IGuardianSettingsStore>();

    /// <summary>The audit store.</summary>
    public IAuditStore Audit => Get<IAuditStore>();

    /// <summary>The personal-information store (consents, values, data-subject requests).</summary>
    public IPersonalInfoStore PersonalInfo => Get<IPersonalInfoStore>();

    /// <summary>The report workflow (tracking, history, authority outbox).</summary>
    public IReportWorkflowStore ReportWorkflow => Get<IReportWorkflowStore>();

    /// <summary>The staff access grants.</summary>
    public IStaffAccessStore StaffAccess => Get<IStaffAccessStore>();

    /// <summary>The breach incidents and notices.</summary>
    public IBreachStore Breaches => Get<IBreachStore>();

    /// <summary>
    /// Resolves every interface of <see cref="TeenModeStores.Interfaces"/> from <paramref name="services"/>;
    /// <paramref name="cleanup"/> runs on dispose (e.g. disposing the provider, then deleting a temporary database).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="InvalidOperationException">An interface has no registration: the store package is incomplete.</exception>
    public static StoreUnderTest From(IServiceProvider services, Func<ValueTask>? cleanup = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var stores = new Dictionary<Type, object>();
        foreach (var type in TeenModeStores.Interfaces)
        {
            stores[type] = services.GetService(type)
                ?? throw new InvalidOperationException($"No {type.Name} is registered: every store interface needs an implementation.");
        }

        return new StoreUnderTest(stores, cleanup);
    }

    /// <summary>
    /// Takes each interface of <see cref="TeenModeStores.Interfaces"/> from the first of <paramref name="parts"/> that
    /// implements it (for stores built without dependency injection, e.g. two "instances" on one database).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="parts"/> is null.</exception>
    /// <exception cref="InvalidOperationException">No part implements one of the interfaces: the store package is incomplete.</exception>
    public static StoreUnderTest Of(IEnumerable<object> parts, Func<ValueTask>? cleanup = null)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        var stores = new Dictionary<Type, object>();
        foreach (var type in TeenModeStores.Interfaces)
        {
            stores[type] = list.FirstOrDefault(type.IsInstanceOfType)
                ?? throw new InvalidOperationException($"No part implements {type.Name}: every store interface needs an implementation.");
        }

        return new StoreUnderTest(stores, cleanup);
    }

    /// <summary>The store implementing <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> is not a store interface.</exception>
    public T Get<T>()
        where T : class =>
        _stores.TryGetValue(typeof(T), out var store)
            ? (T)store
            : throw new InvalidOperationException($"{typeof(T).Name} is not one of TeenModeStores.Interfaces.");

    /// <summary>Runs the clean-up given at construction.</summary>
    public ValueTask DisposeAsync() => _cleanup?.Invoke() ?? ValueTask.CompletedTask;
}
