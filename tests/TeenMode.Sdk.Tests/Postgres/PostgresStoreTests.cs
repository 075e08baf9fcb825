using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using TeenMode.AntiAddiction;
using TeenMode.Audit;
using TeenMode.ParentalControl;
using TeenMode.PersonalInfo;
using TeenMode.Postgres;
using TeenMode.Reporting;
using TeenMode.Rules;
using TeenMode.Spending;
using TeenMode.Storage;
using TeenMode.Subjects;
using TeenMode.Testing;

namespace TeenMode.Tests.Postgres;

// What the contract cannot show: registration, migrations, and atomicity across app instances (two data sources, two pools).
public sealed class PostgresStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateOnly Today = new(2026, 3, 6);

    [Fact]
    public async Task UsePostgres_AfterAddTeenMode_ResolvesEveryStoreInterfaceToAPostgresStore()
    {
        var services = new ServiceCollection();
        services.AddTeenMode().UsePostgres("Host=127.0.0.1;Port=1;Database=unused;Username=unused");
        await using var provider = services.BuildServiceProvider();

        // The core's one list of store interfaces is what every store package must cover.
        var interfaces = TeenModeStores.Interfaces;
        PostgresTeenModeStores.All.Select(r => r.ServiceType).Should().BeEquivalentTo(interfaces);
        foreach (var type in interfaces)
        {
            provider.GetRequiredService(type).GetType().Assembly.Should().BeSameAs(typeof(PostgresDatabase).Assembly, $"{type.Name} must be a PostgreSQL store");
            services.Count(d => d.ServiceType == type).Should().Be(1, $"{type.Name} must have one registration");
        }
    }

    [Fact]
    public async Task Migrations_TwoInstancesStartingTogetherOnAFreshDatabase_BothSucceed_AndApplyEachStepOnce()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var a = server.Open();
        var b = server.Open();

        await Task.WhenAll(Task.Run(() => a.MigrateAsync()), Task.Run(() => b.MigrateAsync()));

        (await a.GetAppliedMigrationsAsync()).Should().Equal(1, 2);
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM schema_history;", connection);
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(2);
        (await new TeenMode.Postgres.Subjects.PostgresSubjectStore(b).TryAddAsync(new Subject("kid", null, new AgeBand(8, 12), AgeSource.SelfDeclared, true, Now))).Should().BeTrue();
    }

    [Fact]
    public async Task Schema_EveryPerSubjectTable_IsKeyedBySubjectFirst_SoItCanBeShardedBySubject()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        await server.Open().MigrateAsync();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();

        // For each table with a subject_id column: the first column of its primary key and of every unique constraint.
        await using var command = new NpgsqlCommand("""
            SELECT c.relname, con.contype::text, a.attname
            FROM pg_constraint con
            JOIN pg_class c ON c.oid = con.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = con.conkey[1]
            WHERE con.contype IN ('p', 'u')
              AND EXISTS (SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.oid AND s.attname = 'subject_id' AND NOT s.attisdropped);
            """, connection);
        var keys = new List<(string Table, string Kind, string FirstColumn)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        // Reports are about content or users as well as minors (subject_id may be null): they are distributed by report id.
        // The audit log is one hash chain ordered by seq: one chain per shard, not split by subject.
        keys.Where(k => k.Table is not ("report_tracking" or "audit_log")).Should().NotBeEmpty()
            .And.OnlyContain(k => k.FirstColumn == "subject_id", "a per-subject key must start with the distribution column");
        keys.Select(k => k.Table).Distinct().Should().Contain(["spends", "refund_requests", "usage_heartbeats", "guardian_lockouts", "pi_consents", "pi_requests"]);
    }

    [Fact]
    public async Task Schema_Option_KeepsTheTablesInThatSchema()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var database = server.Open(o => o.Schema = "teen_app");

        await new TeenMode.Postgres.Subjects.PostgresSubjectStore(database).TryAddAsync(new Subject("kid", null, null, AgeSource.SelfDeclared, true, Now));

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM teen_app.subjects;", connection);
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(1);
    }

    [Fact]
    public async Task Spending_OneHundredParallelPurchasesAcrossTwoInstances_NeverPassTheCap()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var stores = new[] { StoreUnderTest.Of(server.OpenStores()), StoreUnderTest.Of(server.OpenStores()) };
        var limit = new SpendLimit(1000m, 200m);

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => stores[i % 2].Spending.TryRecordSpendAsync(
            new SpendRecord($"spd-{i}", "kid", "video", 30m, "CNY", null, Now, Today, "2026-03", null), limit))));

        results.Count(r => r.Recorded).Should().Be(6, "6 × 30 = 180; a 7th would make 210");
        (await stores[0].Spending.GetTotalsAsync("kid", "video", Today, "2026-03")).Should().Be(new SpendTotals(180m, 180m));
    }

    [Fact]
    public async Task GameSpend_OneHundredParallelTopUpsAcrossTwoInstances_NeverPassTheCap()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var stores = new[] { StoreUnderTest.Of(server.OpenStores()), StoreUnderTest.Of(server.OpenStores()) };

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            stores[i % 2].GameSpend.TryAddSpendAsync("kid", "studio-a", "2026-03", 30m, 200m))));

        results.Count(r => r.Added).Should().Be(6);
        (await stores[1].GameSpend.GetSpendAsync("kid", "studio-a", "2026-03")).Should().Be(180m);
    }

    [Fact]
    public async Task Lockout_OneHundredParallelWrongPinsAcrossTwoInstances_ReserveAtMostTheLimit()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var stores = new[] { StoreUnderTest.Of(server.OpenStores()), StoreUnderTest.Of(server.OpenStores()) };

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            stores[i % 2].Lockouts.TryReserveAttemptAsync("kid", Now, 5, TimeSpan.FromMinutes(15)))));

        results.Count(r => r.Reserved).Should().Be(5, "only reserved attempts may check a PIN, and the fifth locks");
        (await stores[0].Lockouts.GetLockAsync("kid")).IsLocked(Now).Should().BeTrue();
    }

    [Fact]
    public async Task Ledger_TwoHundredDuplicatedHeartbeatsAcrossTwoInstances_AreCountedOnce()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var stores = new[] { StoreUnderTest.Of(server.OpenStores()), StoreUnderTest.Of(server.OpenStores()) };

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            stores[i % 2].Ledger.AppendAsync("kid", "phone", 7, Today, 60, Now, TimeSpan.FromMinutes(10)))));

        results.Count(r => r.Counted).Should().Be(1);
        (await stores[1].Ledger.GetDayAsync("kid", Today)).Should().Be(new UsageDay(60, 60, Now));
        (await stores[0].Ledger.GetCategorySecondsAsync("kid", Today)).Should().ContainSingle().Which.Value.Should().Be(60);
    }

    [Fact]
    public async Task Audit_TwoInstancesAppendingInParallel_FormOneValidChain()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Now.AddTicks(1234567).ToUniversalTime());
        var logs = new[] { new AuditLog(StoreUnderTest.Of(server.OpenStores()).Audit, clock), new AuditLog(StoreUnderTest.Of(server.OpenStores()).Audit, clock) };

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            logs[i % 2].AppendAsync(new AuditEvent("system", "tick", Target: i.ToString(System.Globalization.CultureInfo.InvariantCulture))))));

        var entries = await StoreUnderTest.Of(server.OpenStores()).Audit.ReadAsync(0, 1000);
        entries.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 60).Select(i => (long)i));
        entries[0].At.Should().Be(Now.AddTicks(1234567), "the hash covers the instant to the tick");
        AuditChain.Verify(entries).Should().Be(new AuditVerification(true, 60, null, null));
    }

    [Fact]
    public async Task Outbox_TwoInstancesClaimingAtOnce_GetEachDueNoticeOnce_UntilTheLeaseRunsOut()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var a = StoreUnderTest.Of(server.OpenStores()).Get<IReportWorkflowStore>();
        var b = StoreUnderTest.Of(server.OpenStores()).Get<IReportWorkflowStore>();
        for (var i = 0; i < 40; i++)
        {
            var record = new ReportRecord($"rpt-{i}", $"key-{i}", "hash", new ReportSubmission(ReporterKind.Guardian, "mum", ReportCategory.SexualExploitation, "user", "u-1", null),
                ReportStatus.Received, Now);
            var tracking = new ReportTracking(record.Id, new ReportContext("kid", []), Now.AddHours(1), Now.AddHours(24), true, [], []);
            await a.FileAsync(record, tracking, new AuthorityNotice($"ntc-{i}", record.Id, $"nk-{i}", "{}", Now.AddSeconds(i), 0, Now, null, null));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetDueNoticesAsync(Now, 10))));

        var claimed = claims.SelectMany(c => c.Select(n => n.Id)).ToList();
        claimed.Should().OnlyHaveUniqueItems("a claimed notice is hidden from the other instances");
        claimed.Should().HaveCount(40);
        (await a.GetDueNoticesAsync(Now.AddSeconds(59), 100)).Should().BeEmpty("the lease is 60 seconds");
        (await b.GetDueNoticesAsync(Now.AddSeconds(60), 100)).Should().HaveCount(40, "an unsent notice is due again once its lease runs out");
    }

    [Fact]
    public async Task FreeText_IsSealedAtRest_AndReadBackInClear()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var protector = new PersonalDataProtector(new StaticPersonalDataKeyProvider(
            new Dictionary<string, byte[]> { ["key-1"] = [.. Enumerable.Range(1, 32).Select(i => (byte)i)] }, "key-1"));
        var stores = StoreUnderTest.Of(server.OpenStores(protector));
        var record = new ReportRecord("rpt-1", "key-1", "hash", new ReportSubmission(ReporterKind.Minor, "kid", ReportCategory.Bullying, "user", "u-9", "他的电话是 13800138000"),
            ReportStatus.Received, Now);

        await stores.Reports.AddOrGetAsync(record);

        (await stores.Reports.GetAsync("rpt-1")).Should().Be(record);
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT description FROM reports WHERE id = 'rpt-1';", connection);
        var stored = (string)(await command.ExecuteScalarAsync())!;
        stored.Should().StartWith("\u0001tm-sealed:1:key-1:").And.NotContain("13800138000");
    }

    [Fact]
    public async Task StoppedDatabase_FailsWithinTheConnectTimeout()
    {
        // Nothing listens on port 1: the call throws (the core's fail-closed wrapper makes it store-unavailable) instead of hanging.
        await using var database = new PostgresDatabase(new PostgresTeenModeStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Database=teenmode;Username=app" });
        var subjects = new TeenMode.Postgres.Subjects.PostgresSubjectStore(database);
        var watch = Stopwatch.StartNew();

        Func<Task> call = () => subjects.GetAsync("kid");

        await call.Should().ThrowAsync<NpgsqlException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DeadPooledConnections_DoNotPoisonLaterRequests()
    {
        await using var server = await PostgresStoreDatabase.CreateAsync();
        var database = server.Open();
        var subjects = new TeenMode.Postgres.Subjects.PostgresSubjectStore(database);
        var ledger = new TeenMode.Postgres.AntiAddiction.PostgresUsageLedgerStore(database);
        await subjects.TryAddAsync(new Subject("kid", null, null, AgeSource.SelfDeclared, true, Now));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => ledger.AppendAsync("kid", "phone", i + 1, Today, 10, Now, TimeSpan.FromMinutes(10))));

        // As a server restart or failover would: every pooled connection of this database is killed on the server side.
        await using (var admin = new NpgsqlConnection(TestSupport.PostgresTestServer.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name;", admin);
            kill.Parameters.AddWithValue("name", server.Name);
            ((long)(await kill.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
        }

        await Task.Delay(200);
        (await subjects.GetAsync("kid")).Should().NotBeNull("a read on a dead pooled connection is retried on a fresh one");
        (await ledger.AppendAsync("kid", "phone", 99, Today, 10, Now, TimeSpan.FromMinutes(10))).Counted.Should().BeTrue("the dead connections were dropped from the pool");
        (await ledger.GetDayAsync("kid", Today)).Seconds.Should().Be(50);
    }
}
