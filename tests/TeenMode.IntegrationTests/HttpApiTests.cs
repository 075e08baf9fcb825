using Newtonsoft.Json.Linq;
namespace TeenMode.IntegrationTests;

public sealed class HttpApiTests
{
    [Fact]
    public async Task Post_MalformedJson_Answers400NamingLineAndColumn()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\n  \"id\": \"u1\",\n  \"birthDate\" \"2013-01-01\"\n}");

        status.Should().Be(400);
        body["reasonCode"]!.ToString().Should().Be("invalid-json");
        body["detail"]!.ToString().Should().Contain("line 3");
    }

    [Fact]
    public async Task Post_WrongTypes_Answers400NamingEachField()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\": 42, \"birthDate\": \"01/02/2013\", \"teenMode\": \"yes\"}");

        status.Should().Be(400);
        body["errors"]!["id"]!.ToString().Should().Contain("string");
        body["errors"]!["birthDate"]!.ToString().Should().Contain("yyyy-MM-dd");
        body["errors"]!["teenMode"]!.ToString().Should().Contain("true or false");
    }

    [Fact]
    public async Task Post_OversizedBody_Answers413AndStoresNothing()
    {
        await using var app = await SampleApp.StartAsync();
        var big = "{\"reporterKind\":\"minor\",\"category\":\"other\",\"targetKind\":\"user\",\"targetId\":\"x\",\"description\":\"" + new string('a', 70_000) + "\"}";

        var (status, body) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", big, ("Idempotency-Key", "k-big"));

        status.Should().Be(413);
        body["reasonCode"]!.ToString().Should().Be("body-too-large");
    }

    [Fact]
    public async Task Get_UnknownSubject_Answers404WithReasonCode()
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/nobody/usage");

        status.Should().Be(404);
        body["reasonCode"]!.ToString().Should().Be("unknown-subject");
    }

    [Fact]
    public async Task CreateSubject_Twice_Answers409AndKeepsTheFirst()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"u1\",\"birthDate\":\"2013-05-01\"}");

        var (status, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"u1\",\"birthDate\":\"2001-05-01\",\"teenMode\":false}");
        var (_, subject) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/u1");

        status.Should().Be(409);
        subject["teenMode"]!.Value<bool>().Should().BeTrue();
        subject["band"]!.ToString().Should().NotBe("16-18");
    }

    [Fact]
    public async Task Report_SurvivesRestart_AndReplaysTheSameReceipt()
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-it-").FullName;
        const string Body = "{\"reporterKind\":\"minor\",\"category\":\"bullying\",\"targetKind\":\"user\",\"targetId\":\"u-77\",\"description\":\"keeps messaging me\"}";
        string reportId;
        var first = await SampleApp.StartAsync(dir: dir);
        {
            var (status, receipt) = await first.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", Body, ("Idempotency-Key", "k-1"));
            status.Should().Be(201);
            reportId = receipt["reportId"]!.ToString();
            await first.KeepFilesAndDisposeAsync();
        }

        await using var second = await SampleApp.StartAsync(dir: dir);
        var (getStatus, stored) = await second.SendAsync(HttpMethod.Get, $"/teenmode/v1/reports/{reportId}");
        var (replayStatus, replay) = await second.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", Body, ("Idempotency-Key", "k-1"));
        var (conflictStatus, conflict) = await second.SendAsync(HttpMethod.Post, "/teenmode/v1/reports", Body.Replace("u-77", "u-78", StringComparison.Ordinal), ("Idempotency-Key", "k-1"));

        getStatus.Should().Be(200);
        stored["status"]!.ToString().Should().Be("received");
        replayStatus.Should().Be(200);
        replay["reportId"]!.ToString().Should().Be(reportId);
        conflictStatus.Should().Be(409);
        conflict["reasonCode"]!.ToString().Should().Be("idempotency-key-reused");
    }

    [Fact]
    public async Task ExitTeenMode_WrongPin_Answers403AndChangesNothing()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2014-02-02\"}");
        var bindStatus = await app.BindGuardianAsync("kid", "mum", "246810");

        var (wrongStatus, wrong) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", "{\"guardianPin\":\"000000\"}");
        var (_, still) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid");
        var (rightStatus, _) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", "{\"guardianPin\":\"246810\"}");
        var (_, after) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid");

        bindStatus.Should().Be(201);
        wrongStatus.Should().Be(403);
        wrong["reasonCode"]!.ToString().Should().Be("guardian-verification-failed");
        still["teenMode"]!.Value<bool>().Should().BeTrue();
        rightStatus.Should().Be(200);
        after["teenMode"]!.Value<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Feed_InTeenMode_ServesOnlyItemsForTheBand()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2016-06-01\"}");
        var (_, kid) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid");
        var band = kid["band"]!.ToString();
        var seen = new List<Newtonsoft.Json.Linq.JToken>();
        string? cursor = null;
        do
        {
            var (status, page) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid/feed?limit=5" + (cursor is null ? "" : "&cursor=" + cursor));
            status.Should().Be(200);
            seen.AddRange(page["items"]!);
            cursor = page["nextCursor"]!.Type == Newtonsoft.Json.Linq.JTokenType.Null ? null : page["nextCursor"]!.ToString();
        }
        while (cursor is not null);

        seen.Should().NotBeEmpty();
        seen.Should().OnlyContain(i => i["bands"]!.Values<string>().Contains(band) && !i["mayAffectMinors"]!.Value<bool>());
        seen.Select(i => i["id"]!.ToString()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task RepeatedWrongPins_Give429WithRetryAfter_AndTheRightPinWaits()
    {
        await using var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects", "{\"id\":\"kid\",\"birthDate\":\"2013-01-01\"}");
        (await app.BindGuardianAsync("kid", "mum", "246810")).Should().Be(201);
        for (var i = 0; i < 5; i++)
        {
            (await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/kid/teen-mode/exit", "{\"guardianPin\":\"00000" + i + "\"}")).Status.Should().Be(403);
        }

        using var response = await app.Client.PostAsync("/teenmode/v1/subjects/kid/teen-mode/exit",
            new StringContent("{\"guardianPin\":\"246810\"}", System.Text.Encoding.UTF8, "application/json"));
        var body = JObject.Parse(await response.Content.ReadAsStringAsync());
        var (_, subject) = await app.SendAsync(HttpMethod.Get, "/teenmode/v1/subjects/kid");

        ((int)response.StatusCode).Should().Be(429);
        body["reasonCode"]!.ToString().Should().Be("guardian-locked-out");
        response.Headers.RetryAfter!.Delta!.Value.Should().BeCloseTo(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1));
        subject["teenMode"]!.Value<bool>().Should().BeTrue();
    }
}
