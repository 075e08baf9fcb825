using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using TeenMode.Testing;

namespace TeenMode.IntegrationTests;

// Age assurance over HTTP (issue 16): real-name requests, provider callbacks, OS age signals, device minor mode.
public sealed class AgeAssuranceHttpTests
{
    private const string V = "/teenmode/v1";

    private static string Number(string first17) => first17 + TeenMode.AgeAssurance.ResidentIdentityNumber.ComputeCheckCharacter(first17);

    private static async Task<SampleApp> StartWithKidAsync(string birthDate = "2013-05-01", bool teenMode = true)
    {
        var app = await SampleApp.StartAsync();
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", """{"local":"2026-03-06T20:30:00"}""");
        var (status, _) = await app.SendAsync(HttpMethod.Post, V + "/subjects", new JObject { ["id"] = "kid", ["birthDate"] = birthDate, ["teenMode"] = teenMode }.ToString());
        status.Should().Be(201);
        return app;
    }

    [Fact]
    public async Task RealName_Verified_OpensTheGame_AndTheStatusShowsIt()
    {
        await using var app = await StartWithKidAsync();
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid/games/play")).Body["reasonCode"]!.ToString().Should().Be("real-name-required");

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/real-name",
            new JObject { ["name"] = "测试用户", ["identityNumber"] = Number("11010520130501003") }.ToString());

        status.Should().Be(200, body.ToString());
        body["realName"]!.ToString().Should().Be("verified");
        body["ageSource"]!.ToString().Should().Be("real-name-verified");
        body["band"]!.ToString().Should().Be("12-16");
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid")).Body["realName"]!.ToString().Should().Be("verified");
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid/games/play")).Body["allowed"]!.Value<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("11010520130230003", "identity-number-birth-date")]
    [InlineData("11010520131301003", "identity-number-birth-date")]
    [InlineData("99010520130101003", "identity-number-region")]
    public async Task RealName_ImpossibleNumber_Is422NamingTheField_WithoutEchoingIt(string first17, string reason)
    {
        await using var app = await StartWithKidAsync();
        var number = Number(first17);

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/real-name", new JObject { ["name"] = "测试用户", ["identityNumber"] = number }.ToString());

        status.Should().Be(422);
        body["reasonCode"]!.ToString().Should().Be(reason);
        body["errors"]!["identityNumber"].Should().NotBeNull();
        body.ToString().Should().NotContain(number).And.NotContain(first17);
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid")).Body["realName"]!.ToString().Should().Be("not-checked");
    }

    [Fact]
    public async Task RealName_Pending_Is202_MostProtectiveBand_AndNoGame()
    {
        await using var app = await StartWithKidAsync("2009-01-01");
        var fixture = NppaRealNameSimulator.PendingCheck;

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/real-name",
            new JObject { ["name"] = fixture.Name, ["identityNumber"] = fixture.IdentityNumber }.ToString());

        status.Should().Be(202);
        body["realName"]!.ToString().Should().Be("pending");
        body["band"]!.ToString().Should().Be("0-3");
        (await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/real-name/refresh")).Status.Should().Be(202);
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid/games/play")).Body["reasonCode"]!.ToString().Should().Be("real-name-required");
    }

    [Fact]
    public async Task Callback_NeedsAFreshValidSignature_ThenCompletesAPendingCheck()
    {
        await using var app = await StartWithKidAsync("2009-01-01");
        await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/real-name",
            new JObject { ["name"] = NppaRealNameSimulator.PendingCheck.Name, ["identityNumber"] = NppaRealNameSimulator.PendingCheck.IdentityNumber }.ToString());
        var (_, clock) = await app.SendAsync(HttpMethod.Get, "/teenmode/conformance/v1/clock");
        var now = DateTimeOffset.Parse(clock["instant"]!.ToString(), CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        const string Body = """{"accountId":"kid","status":"verified","playerId":"pi-42"}""";

        (await Callback(app, Body, now, SampleApp.CallbackSecret + "x")).Status.Should().Be(401, "wrong secret");
        (await Callback(app, Body, now - 3600, SampleApp.CallbackSecret)).Status.Should().Be(401, "an hour-old timestamp is a replay");
        (await app.SendAsync(HttpMethod.Post, V + "/real-name/callbacks", Body)).Status.Should().Be(401, "unsigned");
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid")).Body["realName"]!.ToString().Should().Be("pending");

        var (status, body) = await Callback(app, Body, now, SampleApp.CallbackSecret);

        status.Should().Be(200, body.ToString());
        body["realName"]!.ToString().Should().Be("verified");
        body["ageSource"]!.ToString().Should().Be("real-name-verified", "the pending number's birth date is now trusted");
    }

    private static Task<(int Status, JObject Body)> Callback(SampleApp app, string body, long stamp, string secret)
    {
        var text = stamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text + "." + body));
        return app.SendAsync(HttpMethod.Post, V + "/real-name/callbacks", body, ("TeenMode-Timestamp", text), ("TeenMode-Signature", "sha256=" + Convert.ToHexStringLower(mac)));
    }

    [Theory]
    [InlineData("""{"source":"google-play-age-signals","status":"supervised","lowerAge":13,"upperAge":15}""", "12-16")]
    [InlineData("""{"source":"apple-declared-age-range","status":"sharing","lowerAge":10,"upperAge":13}""", "8-12")]
    [InlineData("""{"source":"apple-declared-age-range","status":"declined-sharing"}""", "0-3")]
    public async Task AgeSignal_MapsToTheProtectiveBand(string json, string band)
    {
        await using var app = await StartWithKidAsync("2009-01-01");

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/age-signals", json);

        status.Should().Be(200, body.ToString());
        body["band"]!.ToString().Should().Be(band);
        body["ageSource"]!.ToString().Should().Be("os-signal");
    }

    [Theory]
    [InlineData("""{"source":"symbian","status":"on","lowerAge":1,"upperAge":2}""", "source")]
    [InlineData("""{"source":"google-play-age-signals","status":"maybe","lowerAge":1,"upperAge":2}""", "status")]
    [InlineData("""{"source":"google-play-age-signals","status":"supervised","lowerAge":15,"upperAge":13}""", null)]
    [InlineData("""{"source":"google-play-age-signals","status":"supervised","lowerAge":99999999999999999999}""", "lowerAge")]
    [InlineData("""{"source":"google-play-age-signals","status":"supervised","lowerAge":1,"lowerAge":2}""", null)]
    public async Task AgeSignal_BadInput_Is400_AndChangesNothing(string json, string? field)
    {
        await using var app = await StartWithKidAsync("2009-01-01");

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/age-signals", json);

        status.Should().Be(400, body.ToString());
        if (field is not null)
        {
            body["errors"]![field].Should().NotBeNull(body.ToString());
        }

        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid")).Body["ageSource"]!.ToString().Should().Be("self-declared");
    }

    [Fact]
    public async Task DeviceMinorMode_EntersTeenMode_AndExitIsRefusedUntilTheDeviceReportsOff()
    {
        await using var app = await StartWithKidAsync(teenMode: false);
        (await app.BindGuardianAsync("kid", "mum", "246813")).Should().Be(201);

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/device-minor-mode", """{"deviceId":"pad","minorMode":true,"lowerAge":8,"upperAge":12}""");

        status.Should().Be(200, body.ToString());
        body["teenMode"]!.Value<bool>().Should().BeTrue();
        body["band"]!.ToString().Should().Be("8-12");
        var (exit, refused) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/teen-mode/exit", """{"guardianPin":"246813"}""");
        exit.Should().Be(403);
        refused["reasonCode"]!.ToString().Should().Be("device-minor-mode-on");

        (await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/device-minor-mode", """{"deviceId":"pad","minorMode":false}""")).Status.Should().Be(200);
        (await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/teen-mode/exit", """{"guardianPin":"246813"}""")).Status.Should().Be(200);
    }

    [Theory]
    [InlineData("real-name-verified")]
    [InlineData("os-signal")]
    [InlineData("device-minor-mode")]
    public async Task PublicRegistration_CannotClaimAProviderOnlyAgeSource(string source)
    {
        await using var app = await SampleApp.StartAsync();

        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects", new JObject { ["id"] = "kid", ["birthDate"] = "2013-05-01", ["ageSource"] = source }.ToString());

        status.Should().Be(400);
        body["errors"]!["ageSource"].Should().NotBeNull();
        (await app.SendAsync(HttpMethod.Get, V + "/subjects/kid")).Status.Should().Be(404, "nothing was created");
    }

    [Fact]
    public async Task GameSessions_LogInIsRefusedWithoutRealName_AndReportedOnceVerified()
    {
        await using var app = await StartWithKidAsync();
        const string LogIn = """{"sessionId":"s-1","deviceId":"phone","event":"log-in"}""";

        var (_, refused) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/games/sessions", LogIn);
        (await app.VerifyRealNameAsync("kid", new DateOnly(2013, 5, 1))).Should().Be(200);
        var (status, body) = await app.SendAsync(HttpMethod.Post, V + "/subjects/kid/games/sessions", LogIn);

        refused["reasonCode"]!.ToString().Should().Be("real-name-required");
        refused["reported"]!.Value<bool>().Should().BeFalse();
        status.Should().Be(200, body.ToString());
        body["allowed"]!.Value<bool>().Should().BeTrue();
        body["reported"]!.Value<bool>().Should().BeTrue();
    }
}
