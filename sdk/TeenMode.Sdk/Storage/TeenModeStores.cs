using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Spending;
using TeenMode.Subjects;

namespace TeenMode.Storage;

/// <summary>
/// Every store interface of the SDK: the one list a store package must implement and register (its completeness
/// test walks it), and the list <c>StoreUnderTest</c> resolves.
/// </summary>
public static class TeenModeStores
{
    /// <summary>The store interfaces, each implemented by one class per store package.</summary>
    public static IReadOnlyList<Type> Interfaces { get; } =
    [
        typeof(ISubjectStore),
        typeof(IUsageLedgerStore),
        typeof(IGameSpendLedgerStore),
        typeof(IGuardianStore),
        typeof(IGuardianLockoutStore),
        typeof(IBlockedAttemptStore),
        typeof(IGuardianBindingCodeStore),
        typeof(IGuardianSettingsStore),
        typeof(IContentCatalog),
        typeof(IReportStore),
        typeof(IReportWorkflowStore),
        typeof(IAuditStore),
        typeof(ISpendingLedgerStore),
        typeof(IStaffAccessStore),
        typeof(IBreachStore),
        typeof(IPersonalInfoStore),
    ];
}
