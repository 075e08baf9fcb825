using Microsoft.Data.Sqlite;
using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class PersonalInfoHttpTests
{
    private const string Hash = "61f44e6de822eacf47815c5482b5fe1ecacc085952d587c6fd0dfaefdc9a2df5";

    private static async Task<string> ChildAsync(SampleApp app, string id = "kid", string birthDate = "2016-01-01")
    {
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T15:00:00\"}");
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", $"{{\"id\":\"{id}\",\"birthDate\":\"{birthDate}\"}}")).Status.Should().Be(201);
        (await app.BindGuardianAsync(id, "mum", "246810")).Should().Be(201);
        return id;
    }

    private static Task<(int Status, JObject Body)> ConsentAsync(SampleApp app, string id, string purposes, string decision = "granted") =>
        app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{id}/personal-info/consents",
            $"{{\"guardianId\":\"mum\",\"decision\":\"{decision}\",\"purposes\":{purposes},\"noticeHash\":\"{Hash}\"}}");

    private static Task<(int Status, JObject Body)> CollectAsync(SampleApp app, string id, string field, string purpose, string value) =>
        app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{id}/personal-info/values", $"{{\"field\":\"{field}\",\"purpose\":\"{purpose}\",\"value\":\"{value}\"}}");

    private static Task<(int Status, JObject Body)> RequestAsync(SampleApp app, string id, string kind, string requester = "mum") =>
        app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{id}/personal-info/requests", $"{{\"kind\":\"{kind}\",\"requesterId\":\"{requester}\"}}");

    [Fact]
    public async Task ConsentThenCollect_ExportShowsTheValue_DeletionLeavesNothing()
    {
        await using var app = await SampleApp.StartAsync();
        var id = await ChildAsync(app);

        var (refusedStatus, refused) = await CollectAsync(app, id, "nickname", "account", "Xiaoming");
        var (consentStatus, consent) = await ConsentAsync(app, id, "[\"account\",\"real-name-verification\"]");
        var (collectStatus, collected) = await CollectAsync(app, id, "nickname", "account", "Xiaoming");
        await CollectAsync(app, id, "id-card-number", "real-name-verification", "ID-0001");
        var (accessStatus, access) = await RequestAsync(app, id, "access");
        var (_, deletion) = await RequestAsync(app, id, "deletion");
        var (_, after) = await RequestAsync(app, id, "access");
        var (readStatus, read) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{id}/personal-info/requests/{deletion["requestId"]}");

        refusedStatus.Should().Be(403);
        refused["reasonCode"]!.ToString().Should().Be("consent-required");
        refused["title"]!.ToString().Should().Contain("不得收集").And.Contain("may not be collected");
        consentStatus.Should().Be(201);
        consent["decision"]!.ToString().Should().Be("granted");
        collectStatus.Should().Be(201);
        collected["allowed"]!.Value<bool>().Should().BeTrue();
        accessStatus.Should().Be(201);
        access["status"]!.ToString().Should().Be("completed");
        access.SelectToken("$.export.values[?(@.field == 'id-card-number')].value")!.ToString().Should().Be("ID-0001");
        access.SelectToken("$.export.consents[0].noticeHash")!.ToString().Should().Be(Hash);
        DateTimeOffset.Parse(access["dueAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().Be(DateTimeOffset.Parse(access["receivedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).AddDays(15));
        deletion["deleted"]!["count"]!.Value<int>().Should().Be(2);
        after["export"]!["valueCount"]!.Value<int>().Should().Be(0);
        readStatus.Should().Be(200);
        read["kind"]!.ToString().Should().Be("deletion");
        read["status"]!.ToString().Should().Be("completed");
    }

    [Fact]
    public async Task ARefusedRequest_CarriesAWrittenReasonInBothLanguages()
    {
        await using var app = await SampleApp.StartAsync();
        var id = await ChildAsync(app);

        var (status, body) = await RequestAsync(app, id, "deletion", requester: "stranger");

        status.Should().Be(201);
        body["status"]!.ToString().Should().Be("refused");
        body["refusalReason"]!["en"]!.ToString().Should().Contain("bound guardian");
        body["refusalReason"]!["zh-CN"]!.ToString().Should().Contain("监护人");
    }

    [Theory]
    [InlineData("consents", "{\"guardianId\":\"mum\",\"purposes\":[\"account\"],\"noticeHash\":\"v1\"}", "noticeHash")]
    [InlineData("consents", "{\"guardianId\":\"mum\",\"noticeHash\":\"" + Hash + "\"}", "purposes")]
    [InlineData("consents", "{\"guardianId\":\"mum\",\"decision\":\"withdrawn\",\"purposes\":[\"account\"],\"noticeHash\":\"" + Hash + "\"}", "decision")]
    [InlineData("requests", "{\"kind\":\"erase\",\"requesterId\":\"mum\"}", "kind")]
    [InlineData("requests", "{\"kind\":\"correction\",\"requesterId\":\"mum\",\"field\":\"nickname\",\"purpose\":\"account\"}", "value")]
    [InlineData("values", "{\"field\":\"nickname\",\"purpose\":\"account\"}", "value")]
    public async Task BadInput_Answers400NamingTheField(string path, string json, string field)
    {
        await using var app = await SampleApp.StartAsync();
        var id = await ChildAsync(app);

        var (status, body) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{id}/personal-info/{path}", json);

        status.Should().Be(400);
        body["errors"]![field]!.ToString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task AnUndeclaredPurposeInAConsent_IsRefusedAndNothingIsRecorded()
    {
        await using var app = await SampleApp.StartAsync();
        var id = await ChildAsync(app);

        var (status, body) = await ConsentAsync(app, id, "[\"account\",\"data-broking\"]");
        var (_, access) = await RequestAsync(app, id, "access");

        status.Should().Be(400);
        body["reasonCode"]!.ToString().Should().Be("purpose-not-declared");
        access["export"]!["consents"]!.Should().BeEmpty();
    }

    [Fact]
    public async Task SealedValues_SurviveARestart_AndATamperedOneIsNeverReturned()
    {
        var first = await SampleApp.StartAsync();
        var id = await ChildAsync(first);
        await ConsentAsync(first, id, "[\"account\"]");
        await CollectAsync(first, id, "nickname", "account", "Xiaoming");
        var dir = Path.GetDirectoryName(first.DatabasePath)!;
        await first.KeepFilesAndDisposeAsync();

        await using var second = await SampleApp.StartAsync(dir: dir);
        var (_, readable) = await RequestAsync(second, id, "access");
        await using (var connection = new SqliteConnection($"Data Source={second.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT instr(CAST(payload AS TEXT), 'Xiaoming') FROM pi_values; UPDATE pi_values SET payload = randomblob(length(payload));";
            (await command.ExecuteScalarAsync()).Should().Be(0L, "the child's nickname is stored as ciphertext");
        }

        var (tamperedStatus, tampered) = await RequestAsync(second, id, "access");

        readable.SelectToken("$.export.values[0].value")!.ToString().Should().Be("Xiaoming");
        tamperedStatus.Should().Be(500);
        tampered["reasonCode"]!.ToString().Should().Be("personal-data-integrity");
        tampered.ToString().Should().NotContain("Xiaoming");
    }

    [Fact]
    public async Task RetentionPurge_ThroughTheDriver_DeletesExpiredValues()
    {
        await using var app = await SampleApp.StartAsync();
        var id = await ChildAsync(app, "teen", "2011-01-01");
        await ConsentAsync(app, id, "[\"nearby\"]");
        (await CollectAsync(app, id, "precise-location", "nearby", "31.23,121.47")).Status.Should().Be(201);
        (await CollectAsync(app, id, "nickname", "account", "Xiaohong")).Status.Should().Be(201);

        await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/clock/advance", "{\"seconds\":86400}");
        var (status, purge) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/personal-info/purge");
        var (_, access) = await RequestAsync(app, id, "access", requester: id);

        status.Should().Be(200);
        purge["purged"]!.Value<int>().Should().Be(1);
        access["export"]!["values"]!.Select(v => v["field"]!.ToString()).Should().Equal("nickname");
    }

    [Fact]
    public async Task Inventory_IsPublished()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/personal-info/inventory");

        status.Should().Be(200);
        body.SelectToken("$.purposes[?(@.id == 'personalised-ads')].offByDefaultForMinors")!.Value<bool>().Should().BeTrue();
        body.SelectToken("$.fields[?(@.name == 'precise-location')].sensitive")!.Value<bool>().Should().BeTrue();
    }
}
