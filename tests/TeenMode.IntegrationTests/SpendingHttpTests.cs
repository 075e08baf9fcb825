using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class SpendingHttpTests
{
    private const string ReviewerKey = "integration-reviewer-key-0123456789abcdef";

    [Fact]
    public async Task Spend_AtTheCapAndOneCentOver_AnswersWithTotalsAsExactText_AndTheCapsBasis()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);

        var (status, exact) = await Spend(app, "{\"category\":\"other\",\"amount\":\"50.00\",\"itemId\":\"sticker-pack\"}");
        var (_, over) = await Spend(app, "{\"category\":\"other\",\"amount\":\"50.01\"}");
        var (_, tip) = await Spend(app, "{\"category\":\"live-streaming\",\"amount\":\"0.01\"}");

        status.Should().Be(200);
        exact["allowed"]!.Value<bool>().Should().BeTrue();
        exact["spendId"]!.ToString().Should().StartWith("spd-");
        exact["dayTotal"]!.Type.Should().Be(JTokenType.String);
        exact["dayTotal"]!.ToString().Should().Be("50.00");
        exact["localDate"]!.ToString().Should().Be("2026-03-04");
        exact["caps"]!["perTransaction"]!.ToString().Should().Be("50.00");
        exact["caps"]!["basis"]!.ToString().Should().Be("platform-default");
        over["allowed"]!.Value<bool>().Should().BeFalse();
        over["reasonCode"]!.ToString().Should().Be("spend-over-transaction-cap");
        over["spendId"]!.Type.Should().Be(JTokenType.Null);
        tip["reasonCode"]!.ToString().Should().Be("spending-not-allowed");
        tip["caps"]!["basis"]!.ToString().Should().Be("regulation");
        tip["requirementIds"]!.Values<string>().Should().Contain("SH-POLICE-01");
    }

    [Theory]
    [InlineData("{\"category\":\"other\",\"amount\":50}", "amount", "string")]
    [InlineData("{\"category\":\"other\",\"amount\":\"1.005\"}", "amount", "two decimals")]
    [InlineData("{\"category\":\"game\",\"amount\":\"1.00\"}", "category", "games/top-ups")]
    [InlineData("{\"amount\":\"1.00\"}", "category", "required")]
    public async Task Spend_BadInput_Answers400NamingTheField(string json, string field, string hint)
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);

        var (status, body) = await Spend(app, json);

        status.Should().Be(400);
        body["errors"]![field]!.ToString().Should().Contain(hint);
    }

    [Fact]
    public async Task Spend_RetriedWithTheSameKey_CountsOnce_AndAnotherPaymentWithItIs409()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);

        var (_, first) = await Spend(app, "{\"category\":\"video\",\"amount\":\"30.00\"}", ("Idempotency-Key", "pay-1"));
        var (_, retry) = await Spend(app, "{\"category\":\"video\",\"amount\":\"30.00\"}", ("Idempotency-Key", "pay-1"));
        var (conflict, problem) = await Spend(app, "{\"category\":\"video\",\"amount\":\"31.00\"}", ("Idempotency-Key", "pay-1"));

        retry["spendId"]!.ToString().Should().Be(first["spendId"]!.ToString());
        retry["dayTotal"]!.ToString().Should().Be("30.00");
        conflict.Should().Be(409);
        problem["reasonCode"]!.ToString().Should().Be("idempotency-key-reused");
    }

    [Fact]
    public async Task Refund_FiledByTheGuardian_DecidedByStaff_ReversesTheSpend_AndShowsInTheStatement()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        var (_, spend) = await Spend(app, "{\"category\":\"video\",\"amount\":\"30.00\"}");
        var spendId = spend["spendId"]!.ToString();

        var (filedStatus, receipt) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests",
            "{\"guardianId\":\"mum\",\"reason\":\"没有经过我们同意\"}");
        var (againStatus, again) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests", "{\"guardianId\":\"mum\"}");
        var refundId = receipt["refundId"]!.ToString();
        var (noKey, _) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/review/refund-requests/{refundId}/approve", "{\"actor\":\"staff-1\"}");
        var (approvedStatus, approved) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/review/refund-requests/{refundId}/approve", "{\"actor\":\"staff-1\"}",
            ("X-Reviewer-Key", ReviewerKey));
        var (_, statement) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/spends?since=2026-03-01T00:00:00%2B08:00&until=2026-04-01T00:00:00%2B08:00");

        filedStatus.Should().Be(201);
        receipt["status"]!.ToString().Should().Be("pending");
        receipt["filedAt"]!.ToString().Should().Be("2026-03-04T02:00:00.000Z");
        receipt["dueAt"]!.ToString().Should().Be("2026-03-11T02:00:00.000Z");
        againStatus.Should().Be(200);
        again["refundId"]!.ToString().Should().Be(refundId);
        noKey.Should().Be(401);
        approvedStatus.Should().Be(200);
        approved["status"]!.ToString().Should().Be("approved");
        statement["count"]!.Value<int>().Should().Be(1);
        statement["total"]!.ToString().Should().Be("0.00", "the refunded spend no longer counts");
        statement["spends"]![0]!["refunded"]!.Value<bool>().Should().BeTrue();
        statement["spends"]![0]!["category"]!.ToString().Should().Be("video");
        statement["refunds"]![0]!["status"]!.ToString().Should().Be("approved");
    }

    [Fact]
    public async Task Refund_RefusalWithoutAReason_Is400NamingTheField_UnknownSpendIs404_UnboundGuardianIs403()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        var (_, spend) = await Spend(app, "{\"category\":\"video\",\"amount\":\"5.00\"}");
        var spendId = spend["spendId"]!.ToString();
        var (_, receipt) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests", "{\"guardianId\":\"mum\"}");
        var review = $"/teenmode/v1/review/refund-requests/{receipt["refundId"]}";

        var (noReason, problem) = await app.SendAsync(HttpMethod.Post, review + "/refuse", "{\"actor\":\"staff-1\"}", ("X-Reviewer-Key", ReviewerKey));
        var (refusedStatus, refused) = await app.SendAsync(HttpMethod.Post, review + "/refuse", "{\"actor\":\"staff-1\",\"reason\":\"家长事先同意\"}", ("X-Reviewer-Key", ReviewerKey));
        var (lateStatus, late) = await app.SendAsync(HttpMethod.Post, review + "/approve", "{\"actor\":\"staff-2\"}", ("X-Reviewer-Key", ReviewerKey));
        var (unknown, unknownBody) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends/spd-nope/refund-requests", "{\"guardianId\":\"mum\"}");
        var (stranger, strangerBody) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/kid/spends/{spendId}/refund-requests", "{\"guardianId\":\"someone\"}");
        var (publicStatus, publicView) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/refund-requests/{receipt["refundId"]}");

        noReason.Should().Be(400);
        problem["reasonCode"]!.ToString().Should().Be("refund-reason-required");
        problem["errors"]!["reason"]!.ToString().Should().Contain("required");
        refusedStatus.Should().Be(200);
        refused["decisionReason"]!.ToString().Should().Be("家长事先同意");
        lateStatus.Should().Be(409);
        late["reasonCode"]!.ToString().Should().Be("refund-transition-not-allowed");
        unknown.Should().Be(404);
        unknownBody["reasonCode"]!.ToString().Should().Be("unknown-spend");
        stranger.Should().Be(403);
        strangerBody["reasonCode"]!.ToString().Should().Be("no-guardian-bound");
        publicStatus.Should().Be(200);
        publicView["status"]!.ToString().Should().Be("refused");
    }

    [Fact]
    public async Task Statement_BadRange_Answers400NamingTheField()
    {
        await using var app = await StartAsync();
        await RegisterAsync(app);

        var (status, body) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/spends?since=yesterday");
        var (unknown, _) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/nobody/spends");

        status.Should().Be(400);
        body["errors"]!["since"]!.ToString().Should().Contain("ISO-8601");
        unknown.Should().Be(404);
    }

    private static Task<SampleApp> StartAsync() => SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);

    // 17 on 2026-03-04 (band 16-18): "other" caps 50 / 100 / 300, video 50 / 100 / 300.
    private static async Task RegisterAsync(SampleApp app)
    {
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T10:00:00\"}");
        (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2009-01-01\"}")).Status.Should().Be(201);
    }

    private static Task<(int Status, JObject Body)> Spend(SampleApp app, string json, params (string Name, string Value)[] headers) =>
        app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/spends", json, headers);
}
