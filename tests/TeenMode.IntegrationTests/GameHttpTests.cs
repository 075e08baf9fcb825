using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

public sealed class GameHttpTests
{
    [Fact]
    public async Task Play_OnAFridayAt2000And2100ShanghaiTime_IsAllowedThenDenied()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-06T20:59:59\"}");
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", "{\"age\":13}");
        var id = subject["subjectId"]!.ToString();

        var (status, inside) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{id}/games/play");
        await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/clock/advance", "{\"seconds\":1}");
        var (_, after) = await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/subjects/{id}/games/play");

        status.Should().Be(200);
        inside["allowed"]!.Value<bool>().Should().BeTrue();
        inside["remainingSeconds"]!.Value<long>().Should().Be(1);
        after["allowed"]!.Value<bool>().Should().BeFalse();
        after["reasonCode"]!.ToString().Should().Be("game-outside-play-window");
        after["requirementIds"]!.Values<string>().Should().Contain("NPPA21-TIME-01");
        DateTimeOffset.Parse(after["retryAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).Should().Be(new DateTimeOffset(2026, 3, 7, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task TopUp_ReportsTheMonthTotalAsExactText_AndRefusesPastTheCap()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T10:00:00\"}");
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2014-01-01\"}");
        (await app.VerifyRealNameAsync("kid", new DateOnly(2014, 1, 1))).Should().Be(200);

        var (status, first) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", "{\"gameCompanyId\":\"co\",\"amount\":\"49.99\"}");
        for (var i = 0; i < 3; i++)
        {
            await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", "{\"gameCompanyId\":\"co\",\"amount\":\"50\"}");
        }

        var (_, refused) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", "{\"gameCompanyId\":\"co\",\"amount\":\"0.02\"}");

        status.Should().Be(200);
        first["allowed"]!.Value<bool>().Should().BeTrue();
        first["month"]!.ToString().Should().Be("2026-03");
        first["monthTotal"]!.Type.Should().Be(JTokenType.String);
        first["monthTotal"]!.ToString().Should().Be("49.99");
        first["monthlyCap"]!.ToString().Should().Be("200.00");
        refused["allowed"]!.Value<bool>().Should().BeFalse();
        refused["reasonCode"]!.ToString().Should().Be("spend-over-monthly-cap");
        refused["monthTotal"]!.ToString().Should().Be("199.99");
    }

    [Theory]
    [InlineData("{\"gameCompanyId\":\"co\",\"amount\":50}", "amount", "string")]
    [InlineData("{\"gameCompanyId\":\"co\",\"amount\":\"1.005\"}", "amount", "two decimals")]
    [InlineData("{\"gameCompanyId\":\"co\",\"amount\":\"0\"}", "amount", "positive")]
    [InlineData("{\"amount\":\"1.00\"}", "gameCompanyId", "required")]
    public async Task TopUp_BadInput_Answers400NamingTheField(string json, string field, string hint)
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2014-01-01\"}");

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", json);

        status.Should().Be(400);
        body["errors"]![field]!.ToString().Should().Contain(hint);
    }

    [Fact]
    public async Task TopUp_OversizedBody_Answers413()
    {
        await using var app = await SampleApp.StartAsync();
        var big = "{\"gameCompanyId\":\"" + new string('a', 70_000) + "\",\"amount\":\"1.00\"}";

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/games/top-ups", big);

        status.Should().Be(413);
        body["reasonCode"]!.ToString().Should().Be("body-too-large");
    }

    [Fact]
    public async Task Games_UnknownSubject_Answers404()
    {
        await using var app = await SampleApp.StartAsync();

        var (play, _) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/nobody/games/play");
        var (topUp, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/nobody/games/top-ups", "{\"gameCompanyId\":\"co\",\"amount\":\"1.00\"}");

        play.Should().Be(404);
        topUp.Should().Be(404);
        body["reasonCode"]!.ToString().Should().Be("unknown-subject");
    }

    [Fact]
    public async Task TopUp_RetriedWithTheSameIdempotencyKey_IsCountedOnce_AndAReusedKeyIs409()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-06T20:30:00\"}");
        var (_, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", "{\"age\":13}");
        var path = $"/teenmode/v1/subjects/{subject["subjectId"]}/games/top-ups";

        var (firstStatus, first) = await app.SendAsync(HttpMethod.Post, path, "{\"gameCompanyId\":\"studio-a\",\"amount\":\"50.00\"}", ("Idempotency-Key", "pay-1"));
        var (retryStatus, retry) = await app.SendAsync(HttpMethod.Post, path, "{\"gameCompanyId\":\"studio-a\",\"amount\":\"50.00\"}", ("Idempotency-Key", "pay-1"));
        var (reusedStatus, reused) = await app.SendAsync(HttpMethod.Post, path, "{\"gameCompanyId\":\"studio-a\",\"amount\":\"20.00\"}", ("Idempotency-Key", "pay-1"));

        firstStatus.Should().Be(200);
        retryStatus.Should().Be(200);
        retry["monthTotal"]!.ToString().Should().Be(first["monthTotal"]!.ToString()).And.Be("50.00");
        reusedStatus.Should().Be(409);
        reused["reasonCode"]!.ToString().Should().Be("idempotency-key-reused");
    }
}
