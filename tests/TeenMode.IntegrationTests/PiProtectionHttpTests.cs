using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class PiProtectionHttpTests
{
    private const string Admin = "/teenmode/v1/pi-admin";
    private const string ReviewerKey = "integration-reviewer-key-0123456789abcdef";

    [Fact]
    public async Task StaffAccess_NeedsApprovalByAnotherPerson_BeforeTheMinorsDataCanBeRead()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var kid = await CreateSubjectAsync(app, "2014-05-01");
        var staff = ("X-Reviewer-Key", ReviewerKey);
        var read = $"{Admin}/staff-access/subjects/{kid}/data?staffId=agent-7";

        (await SendWithoutKeysAsync(app, HttpMethod.Get, read)).Should().Be(401, "the staff API needs staff credentials");
        var (denied, problem) = await app.SendAsync(HttpMethod.Get, read, null, staff);
        denied.Should().Be(403);
        problem["reasonCode"]!.ToString().Should().Be("staff-access-not-granted");
        problem["title"]!.ToString().Should().Contain("未获批准").And.Contain("No approved");

        var (created, grant) = await app.SendAsync(HttpMethod.Post, $"{Admin}/staff-access/requests",
            $$"""{"staffId":"agent-7","subjectId":"{{kid}}","purpose":"complaint-handling","justification":"guardian ticket 881"}""", staff);
        created.Should().Be(201);
        grant["status"]!.ToString().Should().Be("pending");
        var id = grant["grantId"]!.ToString();

        var (self, selfBody) = await app.SendAsync(HttpMethod.Post, $"{Admin}/staff-access/requests/{id}/approve", """{"approverId":"agent-7"}""", staff);
        self.Should().Be(403);
        selfBody["reasonCode"]!.ToString().Should().Be("staff-approver-not-allowed");

        var (approved, approvedBody) = await app.SendAsync(HttpMethod.Post, $"{Admin}/staff-access/requests/{id}/approve", """{"approverId":"privacy-lead"}""", staff);
        approved.Should().Be(200);
        approvedBody["status"]!.ToString().Should().Be("approved");
        approvedBody["expiresAt"]!.Type.Should().NotBe(JTokenType.Null);

        var (ok, data) = await app.SendAsync(HttpMethod.Get, read, null, staff);
        ok.Should().Be(200);
        data.SelectToken("$.data.subject.birthDate")!.ToString().Should().Be("2014-05-01");
        (await app.SendAsync(HttpMethod.Get, $"{Admin}/staff-access/subjects/{kid}/data?staffId=agent-8", null, staff)).Status.Should().Be(403, "the grant is personal");
        (await app.SendAsync(HttpMethod.Post, $"{Admin}/staff-access/requests/{id}/refuse", """{"approverId":"privacy-lead","reason":"late"}""", staff))
            .Body["reasonCode"]!.ToString().Should().Be("staff-access-not-pending");
    }

    [Fact]
    public async Task StaffAccess_BadInput_Answers400NamingEachField()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, $"{Admin}/staff-access/requests",
            """{"staffId":"agent-7","purpose":"I want to look","justification":""}""");

        status.Should().Be(400);
        ((JObject)body["errors"]!).Properties().Select(p => p.Name).Should().BeEquivalentTo("subjectId", "purpose", "justification");
        (await app.SendAsync(HttpMethod.Get, $"{Admin}/staff-access/subjects/x/data")).Body["errors"]!["staffId"]!.ToString().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Breach_DeclareNotifyReport_NoticesReachTheGuardianInbox_AndTheAuthorityReportListsIdsOnly()
    {
        await using var app = await SampleApp.StartAsync();
        var kid = await CreateSubjectAsync(app, "2013-03-07");
        (await app.BindGuardianAsync(kid, "mum", "246810")).Should().Be(201);
        var declaration = $$"""
            {"actor":"dpo","occurredAt":"2026-03-04T02:00:00Z","categories":["birth-date","contact"],
             "affectedSubjects":[{"subjectId":"{{kid}}"}],"cause":"an export listing 13800138000 leaked","harm":"phishing",
             "remedies":"export revoked","contact":"privacy@example.invalid"}
            """;

        var (created, incident) = await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches", declaration);
        created.Should().Be(201);
        incident["status"]!.ToString().Should().Be("declared");
        incident["noticeCount"]!.ToObject<int>().Should().Be(1);
        var id = incident["incidentId"]!.ToString();

        var (early, earlyBody) = await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches/{id}/report", """{"actor":"dpo"}""");
        early.Should().Be(409);
        earlyBody["reasonCode"]!.ToString().Should().Be("breach-transition-not-allowed");

        (await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches/{id}/notify", """{"actor":"dpo"}""")).Body["status"]!.ToString().Should().Be("notified");
        var (_, inbox) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{kid}/breach-notices");
        inbox["count"]!.ToObject<int>().Should().Be(1);
        inbox.SelectToken("$.notices[0].recipientId")!.ToString().Should().Be("mum");
        inbox.SelectToken("$.notices[0].text.zh-CN")!.ToString().Should().Contain("birth-date").And.Contain("联系方式");
        inbox.SelectToken("$.notices[0].text.en")!.ToString().Should().Contain("Contact: privacy@example.invalid");

        (await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches/{id}/report", """{"actor":"dpo"}""")).Body["status"]!.ToString().Should().Be("reported");
        var (_, report) = await app.SendAsync(HttpMethod.Get, $"{Admin}/breaches/{id}/authority-report");
        report["status"]!.ToString().Should().Be("reported");
        report.SelectToken("$.affectedSubjects[0].subjectId")!.ToString().Should().Be(kid);
        report.SelectToken("$.countsByCategory.contact")!.ToObject<int>().Should().Be(1);
        report["requirementIds"]!.Values<string>().Should().Contain("REG-MINOR-35").And.Contain("PIPL-57");
        report.ToString().Should().NotContain("2013-03-07").And.NotContain("13800138000").And.NotContain("246810");
    }

    [Fact]
    public async Task Breach_BadInput_Answers400NamingEachField_AndAnUnknownMinor422()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches",
            """{"actor":"dpo","occurredAt":"yesterday","categories":["Birth Date"],"affectedSubjects":[{"categories":["x"]}],"cause":"c","harm":"h","remedies":"r"}""");
        var (unknown, unknownBody) = await app.SendAsync(HttpMethod.Post, $"{Admin}/breaches",
            """{"actor":"dpo","occurredAt":"2026-03-04T02:00:00Z","categories":["contact"],"affectedSubjects":[{"subjectId":"ghost"}],"cause":"c","harm":"h","remedies":"r","contact":"x"}""");

        status.Should().Be(400);
        ((JObject)body["errors"]!).Properties().Select(p => p.Name).Should().BeEquivalentTo("occurredAt", "categories", "affectedSubjects[0].subjectId", "contact");
        unknown.Should().Be(422);
        unknownBody["reasonCode"]!.ToString().Should().Be("unknown-subject");
        (await app.SendAsync(HttpMethod.Get, $"{Admin}/breaches/nope")).Body["reasonCode"]!.ToString().Should().Be("unknown-breach");
    }

    [Fact]
    public async Task ConformanceLogs_NeedTheKey_AndCountWithoutEchoingLines()
    {
        await using var app = await SampleApp.StartAsync();

        (await SendWithoutKeysAsync(app, HttpMethod.Get, "/teenmode/conformance/v1/logs?contains=x")).Should().Be(401);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/logs/probe", """{"text":"probe-marker phone 13800138000"}""")).Status.Should().Be(200);
        var (_, marker) = await app.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/logs?contains=probe-marker");
        var (_, phone) = await app.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/logs?contains=13800138000");

        marker["found"]!.ToObject<bool>().Should().BeTrue();
        phone["found"]!.ToObject<bool>().Should().BeFalse("the sample app's logs are redacted");
        marker.ToString().Should().NotContain("probe-marker phone", "lines are counted, not returned");
    }

    private static async Task<string> CreateSubjectAsync(SampleApp app, string birthDate)
    {
        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", $$"""{"birthDate":"{{birthDate}}"}""");
        status.Should().Be(201);
        return body["subjectId"]!.ToString();
    }

    private static async Task<int> SendWithoutKeysAsync(SampleApp app, HttpMethod method, string path)
    {
        using var client = new HttpClient { BaseAddress = app.App.BaseAddress };
        using var response = await client.SendAsync(new HttpRequestMessage(method, path.TrimStart('/')));
        return (int)response.StatusCode;
    }
}
