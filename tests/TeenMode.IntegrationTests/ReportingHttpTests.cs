using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class ReportingHttpTests
{
    private const string ReviewerKey = "integration-reviewer-key-0123456789abcdef";
    private const string Reports = "/teenmode/v1/reports";

    [Fact]
    public async Task File_BadInput_Answers400NamingEachFieldBilingually_AndTheStoredReportIsKept()
    {
        await using var app = await SampleApp.StartAsync();
        var (created, receipt) = await app.SendAsync(HttpMethod.Post, Reports,
            """{"reporterKind":"minor","category":"harmful-content","targetKind":"content","targetId":"v1"}""", ("Idempotency-Key", "k1"));
        created.Should().Be(201);

        var (status, body) = await app.SendAsync(HttpMethod.Post, Reports,
            """{"reporterKind":"anonymous","reporterId":"u9","category":"gossip","targetKind":"video","targetId":"v1","evidence":["ok",""]}""", ("Idempotency-Key", "k1"));

        status.Should().Be(400);
        body["title"]!.ToString().Should().Be("请求无效 / The request is invalid");
        var errors = (JObject)body["errors"]!;
        errors.Properties().Select(p => p.Name).Should().BeEquivalentTo("reporterId", "category", "targetKind", "evidence");
        errors["category"]!.ToString().Should().Contain("harmful-content").And.Contain("取值无效");
        var (_, kept) = await app.SendAsync(HttpMethod.Get, $"{Reports}/{receipt["reportId"]}");
        kept["status"]!.ToString().Should().Be("received");
        kept["category"]!.ToString().Should().Be("harmful-content");
    }

    [Fact]
    public async Task File_NamingAnUnknownMinor_Answers422NamingSubjectId_AndStoresNothing()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, Reports,
            """{"reporterKind":"guardian","category":"bullying","targetKind":"user","targetId":"b1","subjectId":"nobody"}""", ("Idempotency-Key", "k1"));
        var (retry, _) = await app.SendAsync(HttpMethod.Post, Reports,
            """{"reporterKind":"guardian","category":"bullying","targetKind":"user","targetId":"b1"}""", ("Idempotency-Key", "k1"));

        status.Should().Be(422);
        body["reasonCode"]!.ToString().Should().Be("unknown-subject");
        body["errors"]!["subjectId"]!.Values<string>().Should().NotBeEmpty();
        retry.Should().Be(201, "the refused filing stored nothing under its key");
    }

    [Fact]
    public async Task Status_ReporterAndGuardiansSeeProgress_ReviewersSeeWhoActed()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", """{"age":11}""");
        var kid = subject["subjectId"]!.ToString();
        var (_, receipt) = await app.SendAsync(HttpMethod.Post, Reports,
            $$"""{"reporterKind":"minor","category":"bullying","targetKind":"user","targetId":"bully-1","subjectId":"{{kid}}","description":"他骂我 / he insults me","evidence":["chat-1"]}""",
            ("Idempotency-Key", "k1"));
        var id = receipt["reportId"]!.ToString();
        var review = $"/teenmode/v1/review/reports/{id}";

        (await app.SendAsync(HttpMethod.Post, review + "/triage", """{"actor":"rev-1"}""")).Status.Should().Be(401, "reviewers must identify themselves");
        (await app.SendAsync(HttpMethod.Post, review + "/close", """{"actor":"rev-1"}""", ("X-Reviewer-Key", ReviewerKey))).Body["reasonCode"]!.ToString()
            .Should().Be("report-transition-not-allowed");
        (await app.SendAsync(HttpMethod.Post, review + "/triage", """{"actor":"rev-1"}""", ("X-Reviewer-Key", ReviewerKey))).Status.Should().Be(200);
        var (badAction, badBody) = await app.SendAsync(HttpMethod.Post, review + "/action", """{"actor":"rev-1","actions":[{"kind":"ban-forever","targetId":"bully-1"}]}""", ("X-Reviewer-Key", ReviewerKey));
        badAction.Should().Be(400);
        badBody["errors"]!["actions[0].kind"]!.Values<string>().Should().NotBeEmpty();
        (await app.SendAsync(HttpMethod.Post, review + "/action", """{"actor":"rev-1","actions":[{"kind":"block-user","targetId":"bully-1"},{"kind":"unlink-contact","targetId":"bully-1"}]}""",
            ("X-Reviewer-Key", ReviewerKey))).Status.Should().Be(200);

        var (_, mine) = await app.SendAsync(HttpMethod.Get, $"{Reports}/{id}");
        mine["status"]!.ToString().Should().Be("actioned");
        mine["outcome"]!.ToString().Should().Be("actioned");
        mine["actions"]!.Select(a => a["kind"]!.ToString()).Should().Equal("block-user", "unlink-contact");
        mine["history"]!.Select(h => h["status"]!.ToString()).Should().Equal("triaged", "actioned");
        mine["protectiveOptions"]!.Select(o => o.ToString()).Should().Equal("block-strangers", "limit-visibility", "disable-messages");
        mine.ToString().Should().NotContain("rev-1").And.NotContain("he insults me").And.NotContain("bully-1");

        var (_, guardians) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{kid}/reports");
        guardians["count"]!.Value<int>().Should().Be(1);
        guardians["reports"]![0]!["reportId"]!.ToString().Should().Be(id);
        (await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/nobody/reports")).Status.Should().Be(404);

        var (_, staff) = await app.SendAsync(HttpMethod.Get, review, null, ("X-Reviewer-Key", ReviewerKey));
        staff["history"]!.Select(h => h["actor"]!.ToString()).Should().Equal("rev-1", "rev-1");
        staff["evidence"]!.Select(e => e.ToString()).Should().Equal("chat-1");
        staff["subjectId"]!.ToString().Should().Be(kid);
    }

    [Fact]
    public async Task Status_OfAReportFiledUnderAReporterId_IsReadOnlyByThatReporterAndTheMinorsBoundGuardians()
    {
        await using var app = await SampleApp.StartAsync();
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", """{"age":13}""");
        var kid = subject["subjectId"]!.ToString();
        (await app.BindGuardianAsync(kid, "mum", "246810")).Should().Be(201);
        var (_, receipt) = await app.SendAsync(HttpMethod.Post, Reports,
            $$"""{"reporterKind":"other-user","reporterId":"witness-7","category":"bullying","targetKind":"user","targetId":"bully-1","subjectId":"{{kid}}"}""",
            ("Idempotency-Key", "k1"));
        var report = $"{Reports}/{receipt["reportId"]}";

        var (reporter, view) = await app.SendAsync(HttpMethod.Get, report + "?readerId=witness-7");
        var (guardian, _) = await app.SendAsync(HttpMethod.Get, report + "?readerId=mum");
        var (stranger, refusal) = await app.SendAsync(HttpMethod.Get, report + "?readerId=witness-8");
        var (nobody, _) = await app.SendAsync(HttpMethod.Get, report);
        var (otherCase, _) = await app.SendAsync(HttpMethod.Get, report + "?readerId=Witness-7");

        (reporter, guardian).Should().Be((200, 200));
        view["status"]!.ToString().Should().Be("received");
        (stranger, nobody, otherCase).Should().Be((403, 403, 403));
        refusal["reasonCode"]!.ToString().Should().Be("report-not-visible");
        refusal["title"]!.ToString().Should().Be("无权查看该举报 / You may not read this report");
        refusal.ToString().Should().NotContain("received").And.NotContain("bully-1");
        (await app.SendAsync(HttpMethod.Get, $"{Reports}/rpt_nope?readerId=witness-7")).Status.Should().Be(404);
    }

    [Fact]
    public async Task Status_OfAnAnonymousReport_IsReadWithTheReceiptAlone()
    {
        await using var app = await SampleApp.StartAsync();
        var (_, receipt) = await app.SendAsync(HttpMethod.Post, Reports, """{"reporterKind":"anonymous","category":"fraud","targetKind":"user","targetId":"u1"}""", ("Idempotency-Key", "k1"));

        var (status, view) = await app.SendAsync(HttpMethod.Get, $"{Reports}/{receipt["reportId"]}");

        status.Should().Be(200, "an anonymous report has no reporter to compare: its receipt is the credential");
        view["status"]!.ToString().Should().Be("received");
    }

    [Fact]
    public async Task Reject_WithFreeText_Answers400NamingReason()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var (_, receipt) = await app.SendAsync(HttpMethod.Post, Reports, """{"reporterKind":"other-user","category":"other","targetKind":"content","targetId":"c"}""", ("Idempotency-Key", "k1"));
        var review = $"/teenmode/v1/review/reports/{receipt["reportId"]}";
        await app.SendAsync(HttpMethod.Post, review + "/triage", """{"actor":"rev-1"}""", ("X-Reviewer-Key", ReviewerKey));

        var (status, body) = await app.SendAsync(HttpMethod.Post, review + "/reject", """{"actor":"rev-1","reason":"The reporter is 12 and lives at ..."}""", ("X-Reviewer-Key", ReviewerKey));

        status.Should().Be(400);
        body["errors"]!["reason"]!.ToString().Should().Contain("kebab-case").And.Contain("自由文本");
        (await app.SendAsync(HttpMethod.Post, review + "/reject", """{"actor":"rev-1","reason":"no-violation"}""", ("X-Reviewer-Key", ReviewerKey))).Status.Should().Be(200);
    }

    [Fact]
    public async Task UnknownReport_Answers404WithReasonCode_AndConformanceOutboxNeedsTheKey()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Get, $"{Reports}/rpt_nope");
        status.Should().Be(404);
        body["reasonCode"]!.ToString().Should().Be("unknown-report");

        app.Client.DefaultRequestHeaders.Remove("X-TeenMode-Conformance-Key");
        (await app.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/outbox")).Status.Should().Be(401);
        (await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/outbox/dispatch")).Status.Should().Be(401);
    }
}
