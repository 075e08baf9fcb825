using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TeenMode.AntiAddiction;
using TeenMode.ContentPool;
using TeenMode.ParentalControl;
using TeenMode.Reporting;
using TeenMode.Sqlite;
using TeenMode.Storage;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.Stores;

public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Report_AfterReopeningTheFile_IsStillStoredAndKeepsItsKey()
    {
        var record = new ReportRecord("rpt-1", "key-1", "hash-1",
            new ReportSubmission(ReporterKind.Minor, "kid", ReportCategory.HarmfulContent, "content", "v9", "吓人"), ReportStatus.Received, Now);
        using (var first = new SqliteDatabase(_database.Path))
        {
            (await new SqliteReportStore(first).AddOrGetAsync(record)).Created.Should().BeTrue();
        }

        using var reopened = new SqliteDatabase(_database.Path);
        var reports = new SqliteReportStore(reopened);

        (await reports.GetAsync("rpt-1")).Should().Be(record);
        var again = await reports.AddOrGetAsync(record with { Id = "rpt-2" });
        again.Created.Should().BeFalse();
        again.Stored.Should().Be(record);
    }

    [Fact]
    public async Task EveryStore_AfterReopeningTheFile_KeepsItsState()
    {
        var subject = new Subject("kid", new DateOnly(2014, 2, 28), null, AgeSource.SelfDeclared, true, Now);
        var binding = new GuardianBinding("kid", "mum", new PinHash([1, 2], [3, 4], 100_000), Now);
        var item = new ContentItem("v1", "Stars", "science", [new AgeBand(8, 12)]);
        var today = new DateOnly(2026, 3, 6);
        await using (var first = TestStores.Sqlite(_database.Path))
        {
            await first.Subjects.TryAddAsync(subject);
            await first.Subjects.SetTeenModeAsync("kid", false);
            await first.Guardians.SaveAsync(binding);
            await first.Content.UpsertAsync([item]);
            await first.Ledger.AppendAsync("kid", "phone", 1, today, 60, Now, TimeSpan.FromMinutes(10));
        }

        await using var reopened = TestStores.Sqlite(_database.Path);

        (await reopened.Subjects.GetAsync("kid")).Should().Be(subject with { TeenMode = false });
        (await reopened.Guardians.GetForSubjectAsync("kid")).Should().ContainSingle().Which.Should().BeEquivalentTo(binding);
        (await reopened.Content.GetAsync("v1")).Should().BeEquivalentTo(item);
        (await reopened.Ledger.GetDayAsync("kid", today)).Should().Be(new UsageDay(60, 60, Now));
        (await reopened.Ledger.AppendAsync("kid", "phone", 1, today, 60, Now, TimeSpan.FromMinutes(10))).Counted
            .Should().BeFalse("the heartbeat was counted before the restart");
    }

    [Fact]
    public async Task Schema_OpenedAgain_IsVersionedAndInWalModeWithoutLosingData()
    {
        await using (var first = TestStores.Sqlite(_database.Path))
        {
            await first.Subjects.TryAddAsync(new Subject("kid", null, null, AgeSource.Unknown, true, Now));
        }

        await using (var second = TestStores.Sqlite(_database.Path))
        {
            (await second.Subjects.GetAsync("kid")).Should().Be(new Subject("kid", null, null, AgeSource.Unknown, true, Now), "the second opening reads what the first wrote");
        }

        using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(SqliteDatabase.SchemaVersion);
        command.CommandText = "PRAGMA journal_mode;";
        command.ExecuteScalar().Should().Be("wal");
        command.CommandText = "SELECT group_concat(version || ':' || name, ' ') FROM (SELECT version, name FROM schema_history ORDER BY version);";
        command.ExecuteScalar().Should().Be("1:0001_initial 2:0002_content_query 3:0003_age_assurance", "each migration is applied, and recorded, once");
    }

    [Fact]
    public async Task Schema_NewerThanThePackage_IsRefused()
    {
        using (var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        using var database = new SqliteDatabase(_database.Path);
        var store = new SqliteSubjectStore(database);

        var read = () => store.GetAsync("kid");
        (await read.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*schema version 99*");
    }

    [Fact]
    public async Task Store_InAFolderThatDoesNotExistYet_CreatesIt()
    {
        var path = Path.Combine(Path.GetDirectoryName(_database.Path)!, "nested", "deeper", "teenmode.db");
        using var database = new SqliteDatabase(path);

        (await new SqliteSubjectStore(database).TryAddAsync(new Subject("kid", null, null, AgeSource.Unknown, true, Now))).Should().BeTrue();

        File.Exists(path).Should().BeTrue();
    }

    [Fact]
    public async Task Ledger_TwoStoreInstancesOnOneFile_CountEachHeartbeatExactlyOnce()
    {
        using var databaseA = new SqliteDatabase(_database.Path);
        using var databaseB = new SqliteDatabase(new SqliteDatabaseOptions { DatabasePath = _database.Path, BusyTimeout = TimeSpan.FromSeconds(20) });
        var storeA = new SqliteUsageLedgerStore(databaseA);
        var today = new DateOnly(2026, 3, 6);
        SqliteUsageLedgerStore[] stores = [storeA, new SqliteUsageLedgerStore(databaseB)];

        // Two app instances both receive every device's heartbeats (e.g. a retry through another node),
        // each sender on its own thread so the calls really overlap.
        using var start = new Barrier(8);
        var senders = Enumerable.Range(0, 8).Select(n => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            for (var sequence = 1; sequence <= 50; sequence++)
            {
                await stores[n / 4].AppendAsync("kid", $"device-{n % 4}", sequence, today, 60, Now, TimeSpan.FromMinutes(10));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToList();
        await Task.WhenAll(senders);

        (await storeA.GetDayAsync("kid", today)).Seconds.Should().Be(4 * 50 * 60);
    }

    [Fact]
    public async Task UseSqlite_AfterAddTeenMode_ReplacesEveryStoreInterfaceWithItsSqliteStore()
    {
        var services = new ServiceCollection();
        services.AddTeenMode(o => o.PinIterations = 100_000).UseSqlite(_database.Path);
        await using var provider = services.BuildServiceProvider();

        foreach (var type in TeenModeStores.Interfaces)
        {
            var store = provider.GetRequiredService(type);
            store.GetType().Assembly.Should().BeSameAs(typeof(SqliteDatabase).Assembly, $"{type.Name} must be stored in SQLite, not left in memory");
            store.GetType().Name.Should().StartWith("Sqlite");
            services.Count(d => d.ServiceType == type).Should().Be(1, $"{type.Name} must have one registration");
        }

        provider.GetRequiredService<SqliteDatabase>().DatabasePath.Should().Be(Path.GetFullPath(_database.Path));
    }

    [Fact]
    public async Task UseSqlite_AppRestartedOnTheSameFile_KeepsSubjectsGuardiansAndReports()
    {
        var clock = new FakeTimeProvider(Now.ToUniversalTime());
        ServiceProvider Build()
        {
            var services = new ServiceCollection();
            services.AddSingleton<TimeProvider>(clock);
            services.AddTeenMode(o => o.PinIterations = 100_000).UseSqlite(_database.Path);
            return services.BuildServiceProvider();
        }

        ReportFiling filing;
        var submission = new ReportSubmission(ReporterKind.Guardian, "mum", ReportCategory.Bullying, "user", "u-1", null);
        await using (var before = Build())
        {
            await before.GetRequiredService<ISubjectService>().RegisterAsync(new SubjectRegistration("kid", new DateOnly(2013, 5, 1)));
            await before.GetRequiredService<IParentalControl>().BindAsync("kid", "mum", "2468");
            filing = await before.GetRequiredService<IReportingChannel>().FileAsync(submission, "key-1");
        }

        await using var after = Build();

        (await after.GetRequiredService<ISubjectService>().GetStatusAsync("kid")).Should().NotBeNull();
        var replay = await after.GetRequiredService<IReportingChannel>().FileAsync(submission, "key-1");
        replay.Replayed.Should().BeTrue();
        replay.Receipt.Should().Be(filing.Receipt);
        var exit = await after.GetRequiredService<IParentalControl>().ExitTeenModeAsync("kid", "2468");
        exit.Outcome.Should().Be(Outcome.Allow);
    }

    [Fact]
    public async Task GameSpend_TwoStoresOnOneFile_SixteenParallelTopUps_NeverExceedTheCap()
    {
        // Two store objects stand in for two app processes sharing the database file.
        using var firstDatabase = new SqliteDatabase(_database.Path);
        using var secondDatabase = new SqliteDatabase(_database.Path);
        var first = new SqliteGameSpendLedgerStore(firstDatabase);
        var second = new SqliteGameSpendLedgerStore(secondDatabase);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).TryAddSpendAsync("kid", "studio-a", "2026-03", 30m, 200m))));

        results.Count(r => r.Added).Should().Be(6);
        (await first.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(180m);
    }

    [Fact]
    public async Task GameSpend_AfterReopeningTheFile_KeepsTheMonthTotal()
    {
        using (var database = new SqliteDatabase(_database.Path))
        {
            await new SqliteGameSpendLedgerStore(database).TryAddSpendAsync("kid", "studio-a", "2026-03", 123.45m, 200m);
        }

        using var reopenedDatabase = new SqliteDatabase(_database.Path);
        (await new SqliteGameSpendLedgerStore(reopenedDatabase).GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(123.45m);
    }
}
