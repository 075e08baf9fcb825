using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Postgres.AntiAddiction;
using TeenMode.Postgres.Audit;
using TeenMode.Postgres.ContentPool;
using TeenMode.Postgres.ParentalControl;
using TeenMode.Postgres.PersonalInfo;
using TeenMode.Postgres.Reporting;
using TeenMode.Postgres.Spending;
using TeenMode.Postgres.Subjects;
using TeenMode.Reporting;
using TeenMode.Spending;
using TeenMode.Subjects;

namespace TeenMode.Postgres;

/// <summary>One SDK store interface and how to build its PostgreSQL implementation.</summary>
/// <param name="ServiceType">The store interface.</param>
/// <param name="Create">Builds the implementation on a database; the protector (may be null) seals free text at rest.</param>
internal sealed record PostgresStoreRegistration(Type ServiceType, Func<PostgresDatabase, PersonalDataProtector?, object> Create);

/// <summary>Every SDK store interface with its PostgreSQL implementation: the one list <c>UsePostgres</c> registers.</summary>
internal static class PostgresTeenModeStores
{
    /// <summary>One entry per store interface of the SDK.</summary>
    public static IReadOnlyList<PostgresStoreRegistration> All { get; } =
    [
        new(typeof(ISubjectStore), (db, _) => new PostgresSubjectStore(db)),
        new(typeof(IUsageLedgerStore), (db, _) => new PostgresUsageLedgerStore(db)),
        new(typeof(IGameSpendLedgerStore), (db, _) => new PostgresGameSpendLedgerStore(db)),
        new(typeof(IGuardianStore), (db, _) => new PostgresGuardianStore(db)),
        new(typeof(IGuardianLockoutStore), (db, _) => new PostgresGuardianLockoutStore(db)),
        new(typeof(IBlockedAttemptStore), (db, _) => new PostgresBlockedAttemptStore(db)),
        new(typeof(IGuardianBindingCodeStore), (db, _) => new PostgresGuardianBindingCodeStore(db)),
        new(typeof(IGuardianSettingsStore), (db, _) => new PostgresGuardianSettingsStore(db)),
        new(typeof(IContentCatalog), (db, _) => new PostgresContentCatalog(db)),
        new(typeof(IReportStore), (db, text) => new PostgresReportStore(db, text)),
        new(typeof(IReportWorkflowStore), (db, text) => new PostgresReportWorkflowStore(db, text)),
        new(typeof(IAuditStore), (db, _) => new PostgresAuditStore(db)),
        new(typeof(ISpendingLedgerStore), (db, text) => new PostgresSpendingLedgerStore(db, text)),
        new(typeof(IStaffAccessStore), (db, _) => new PostgresStaffAccessStore(db)),
        new(typeof(IBreachStore), (db, _) => new PostgresBreachStore(db)),
        new(typeof(IPersonalInfoStore), (db, _) => new PostgresPersonalInfoStore(db)),
    ];

    /// <summary>Builds every store on <paramref name="database"/> (for tests and hosts without dependency injection).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="database"/> is null.</exception>
    public static IReadOnlyList<object> CreateAll(PostgresDatabase database, PersonalDataProtector? freeTextProtector = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return [.. All.Select(r => r.Create(database, freeTextProtector))];
    }
}
