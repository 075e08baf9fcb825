using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Reporting;
using TeenMode.Spending;
using TeenMode.Sqlite;
using TeenMode.Subjects;

namespace TeenMode;

/// <summary>Registers the SQLite stores.</summary>
public static class SqliteTeenModeBuilderExtensions
{
    /// <summary>
    /// Stores every teen-mode state in the SQLite file <paramref name="databasePath"/>, replacing the
    /// in-memory stores that <c>AddTeenMode</c> registers. Call it after <c>AddTeenMode</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="databasePath"/> is empty.</exception>
    public static ITeenModeBuilder UseSqlite(this ITeenModeBuilder builder, string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return builder.UseSqlite(options => options.DatabasePath = databasePath);
    }

    /// <summary>
    /// Stores every teen-mode state in SQLite as <paramref name="configure"/> describes, replacing the
    /// in-memory stores that <c>AddTeenMode</c> registers. Call it after <c>AddTeenMode</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static ITeenModeBuilder UseSqlite(this ITeenModeBuilder builder, Action<SqliteDatabaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteDatabaseOptions();
        configure(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(configure));

        // Registered by factory so the container disposes it (releasing pooled connections) on shutdown.
        var services = builder.Services;
        services.RemoveAll<SqliteDatabase>().AddSingleton(sp => new SqliteDatabase(options, sp.GetService<TimeProvider>()));

        // One line per interface of TeenModeStores.Interfaces (SqliteStoreRegistrationTests fails on a missing one).
        Use<ISubjectStore, SqliteSubjectStore>(services);
        Use<IUsageLedgerStore, SqliteUsageLedgerStore>(services);
        Use<IGameSpendLedgerStore, SqliteGameSpendLedgerStore>(services);
        Use<IGuardianStore, SqliteGuardianStore>(services);
        Use<IGuardianLockoutStore, SqliteGuardianLockoutStore>(services);
        Use<IBlockedAttemptStore, SqliteBlockedAttemptStore>(services);
        Use<IGuardianBindingCodeStore, SqliteGuardianBindingCodeStore>(services);
        Use<IGuardianSettingsStore, SqliteGuardianSettingsStore>(services);
        Use<IContentCatalog, SqliteContentCatalog>(services);
        Use<IReportStore, SqliteReportStore>(services);
        Use<IReportWorkflowStore, SqliteReportWorkflowStore>(services);
        Use<IAuditStore, SqliteAuditStore>(services);
        Use<ISpendingLedgerStore, SqliteSpendingLedgerStore>(services);
        Use<IStaffAccessStore, SqliteStaffAccessStore>(services);
        Use<IBreachStore, SqliteBreachStore>(services);
        Use<IPersonalInfoStore, SqlitePersonalInfoStore>(services);
        return builder;
    }

    // The class is registered as itself too (a wrapper, e.g. a test double, can decorate it). RemoveAll drops the
    // in-memory default, or an earlier UseSqlite's registration, of the interface.
    private static void Use<TInterface, TStore>(IServiceCollection services)
        where TInterface : class
        where TStore : class, TInterface
    {
        services.RemoveAll<TStore>().AddSingleton<TStore>();
        services.RemoveAll<TInterface>().AddSingleton<TInterface>(sp => sp.GetRequiredService<TStore>());
    }
}
