using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Spending;
using TeenMode.Storage;
using TeenMode.Subjects;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    // The in-memory defaults, one line per interface of TeenModeStores.Interfaces. TryAdd: a store package's Use…()
    // (called after AddTeenMode) replaces them, and one registered before AddTeenMode is kept.
    private static void AddInMemoryStores(IServiceCollection services)
    {
        services.TryAddSingleton<InMemoryStoreWarning>();
        AddInMemory<ISubjectStore, InMemorySubjectStore>(services);
        AddInMemory<IUsageLedgerStore, InMemoryUsageLedgerStore>(services);
        AddInMemory<IGameSpendLedgerStore, InMemoryGameSpendLedgerStore>(services);
        AddInMemory<IGuardianStore, InMemoryGuardianStore>(services);
        AddInMemory<IGuardianLockoutStore, InMemoryGuardianLockoutStore>(services);
        AddInMemory<IBlockedAttemptStore, InMemoryBlockedAttemptStore>(services);
        AddInMemory<IGuardianBindingCodeStore, InMemoryGuardianBindingCodeStore>(services);
        AddInMemory<IGuardianSettingsStore, InMemoryGuardianSettingsStore>(services);
        AddInMemory<IContentCatalog, InMemoryContentCatalog>(services);
        AddInMemory<IReportStore, InMemoryReportStore>(services);
        AddInMemory<IReportWorkflowStore, InMemoryReportWorkflowStore>(services);
        AddInMemory<IAuditStore, InMemoryAuditStore>(services);
        AddInMemory<ISpendingLedgerStore, InMemorySpendingLedgerStore>(services);
        AddInMemory<IStaffAccessStore, InMemoryStaffAccessStore>(services);
        AddInMemory<IBreachStore, InMemoryBreachStore>(services);
        AddInMemory<IPersonalInfoStore, InMemoryPersonalInfoStore>(services);
    }

    // The class is registered as itself too, so a store that builds on another (the report workflow on the reports)
    // gets the same instance.
    private static void AddInMemory<TInterface, TStore>(IServiceCollection services)
        where TInterface : class
        where TStore : class, TInterface
    {
        services.TryAddSingleton(sp =>
        {
            _ = sp.GetRequiredService<InMemoryStoreWarning>();
            return ActivatorUtilities.CreateInstance<TStore>(sp);
        });
        services.TryAddSingleton<TInterface>(sp => sp.GetRequiredService<TStore>());
    }

    /// <summary>Logs once, when the first in-memory store is built, that nothing will survive a restart.</summary>
    private sealed class InMemoryStoreWarning
    {
        public InMemoryStoreWarning(IServiceProvider services)
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("TeenMode.Storage.InMemory") ?? NullLogger.Instance;
            logger.LogWarning("TeenMode is using in-memory stores: nothing survives a restart. Use a durable store in production.");
        }
    }
}
