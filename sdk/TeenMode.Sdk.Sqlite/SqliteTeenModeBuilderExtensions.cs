using TeenMode.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Sqlite;
using TeenMode.Subjects;

namespace TeenMode;

/// <summary>Registers <see cref="SqliteTeenModeStore"/> as the SDK's store.</summary>
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
    public static ITeenModeBuilder UseSqlite(this ITeenModeBuilder builder, Action<SqliteTeenModeStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new SqliteTeenModeStoreOptions();
        configure(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabasePath, nameof(configure));

        var services = builder.Services;

        // Registered by factory so the container disposes it (releasing pooled connections) on shutdown.
        services.RemoveAll<SqliteTeenModeStore>();
        services.AddSingleton(sp => new SqliteTeenModeStore(options, sp.GetService<TeenMode.PersonalInfo.PersonalDataProtector>()));

        // AddTeenMode used TryAdd for the in-memory defaults; RemoveAll drops them (and any earlier UseSqlite).
        services.RemoveAll<ISubjectStore>().AddSingleton<ISubjectStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IUsageLedgerStore>().AddSingleton<IUsageLedgerStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IGuardianStore>().AddSingleton<IGuardianStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IGuardianLockoutStore>().AddSingleton<IGuardianLockoutStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IBlockedAttemptStore>().AddSingleton<IBlockedAttemptStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IContentCatalog>().AddSingleton<IContentCatalog>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IReportStore>().AddSingleton<IReportStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IAuditStore>().AddSingleton<IAuditStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IGameSpendLedgerStore>().AddSingleton<IGameSpendLedgerStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IReportWorkflowStore>().AddSingleton<IReportWorkflowStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<Spending.ISpendingLedgerStore>().AddSingleton<Spending.ISpendingLedgerStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<PersonalInfo.IStaffAccessStore>().AddSingleton<PersonalInfo.IStaffAccessStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<PersonalInfo.IBreachStore>().AddSingleton<PersonalInfo.IBreachStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IGuardianBindingCodeStore>().AddSingleton<IGuardianBindingCodeStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<IGuardianSettingsStore>().AddSingleton<IGuardianSettingsStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        services.RemoveAll<PersonalInfo.IPersonalInfoStore>().AddSingleton<PersonalInfo.IPersonalInfoStore>(sp => sp.GetRequiredService<SqliteTeenModeStore>());
        return builder;
    }
}
