using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;

namespace TeenMode.Harness.Tests;

/// <summary>
/// Format-2 profiles against a small app shaped nothing like the SDK: sign-up with a birth date and a token,
/// youth mode as a second call, result codes of its own, a reporter-only report status and a session cookie.
/// </summary>
public sealed class ProfileFormat2Tests : IAsyncLifetime
{
    private const string ProfileJson = """
        {
          "formatVersion": 2, "id": "other-app", "version": "1", "capabilities": ["subject-setup", "virtual-clock", "reporting"],
          "secrets": ["conformanceKey"],
          "clock": { "model": "frozen", "timeZone": "Asia/Shanghai" },
          "memory": { "subject": "subjectId", "report": "reportId" },
          "actions": {
            "setClock": { "let": { "ms": "tm.epochMillis(local)" }, "requests": [ { "method": "PUT", "path": "/test/clock", "body": { "epochMs": "${ms}" } } ] },
            "createSubject": {
              "let": { "born": "tm.birthDateForAge(age)" },
              "requests": [
                { "method": "POST", "path": "/signup", "body": { "birthday": "${born}" }, "capture": { "uid": "$.uid", "token": "$.session.token" } },
                { "when": "teenMode === true", "method": "POST", "path": "/me/youth", "headers": { "Authorization": "Bearer ${token}" } }
              ],
              "extract": { "subjectId": { "value": "${uid}" }, "band": "$.group" },
              "remember": { "subject.token": "${token}" }
            },
            "heartbeat": {
              "requests": [ { "method": "POST", "path": "/ping", "headers": { "Authorization": "Bearer ${subject.token?}" }, "body": { "seq": "${sequence}", "secs": "${seconds}" } } ],
              "outcome": { "key": { "path": "$.result" }, "cases": {
                "OK": { "allowed": true, "outcome": "allow" },
                "OK_BREAK": { "allowed": true, "outcome": "allow-with-notice", "reasonCode": "rest-reminder" },
                "DENIED_NIGHT": { "allowed": false, "outcome": "deny", "reasonCode": "curfew" } } }
            },
            "purchase": {
              "let": { "fen": "tm.fen(amount)" },
              "requests": [ { "method": "POST", "path": "/pay", "headers": { "Authorization": "Bearer ${subject.token}" }, "body": { "fen": "${fen}" }, "continue": true } ],
              "extract": { "allowed": { "status": true, "map": { "200": true, "403": false } }, "dayTotal": { "expr": "tm.yuan(body.dayFen)" },
                           "reasonCode": { "path": "$.error.code", "map": { "OVER_DAY": "spend-over-daily-cap" }, "default": null } }
            },
            "fileReport": {
              "requests": [
                { "method": "POST", "path": "/login", "capture": { "sid": { "cookie": "sid" } } },
                { "method": "POST", "path": "/reports", "headers": { "Cookie": "sid=${sid}" }, "body": { "why": "${category}" } }
              ],
              "extract": { "reportId": "$.id" },
              "remember": { "report.sid": "${sid}" }
            },
            "getReport": {
              "requests": [ { "method": "GET", "path": "/reports/${reportId}", "headers": { "Cookie": "sid=${report.sid?}" } } ],
              "extract": { "reportStatus": "$.state", "allowed": "$.state" }
            },
            "probeLog": {
              "requests": [ { "method": "POST", "path": "/log", "form": { "msg": "${text}", "from": "harness" } } ],
              "extract": { "logged": { "expr": "text === 'logged ' + status" } }
            },
            "searchLogs": { "requests": [ { "method": "POST", "path": "/log", "form": { "msg": "${value}" } } ], "extract": { "found": "$.found" } },
            "loadFeed": {
              "requests": [ { "method": "GET", "path": "/feed/${subjectId}?max=${limit?}&search=${q?}" } ],
              "extract": { "firstId": "$.ok" }
            }
          }
        }
        """;

    private readonly ConcurrentQueue<(string Path, string? Authorization, string? Cookie, string Body)> _seen = new();
    private WebApplication _app = null!;
    private Uri _base = null!;
    private string _nextPing = "OK";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        var tokens = new ConcurrentDictionary<string, string>();
        var reports = new ConcurrentDictionary<string, string>();
        var n = 0;
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            _seen.Enqueue((context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers.Cookie.FirstOrDefault(), body));
            await next(context);
        });
        _app.MapPut("/test/clock", () => Json(200, new JObject()));
        _app.MapPost("/signup", () =>
        {
            var id = "u" + Interlocked.Increment(ref n);
            tokens["tok-" + id] = id;
            return Json(201, new JObject { ["uid"] = id, ["session"] = new JObject { ["token"] = "tok-" + id } });
        });
        _app.MapPost("/me/youth", (HttpRequest r) => r.Headers.Authorization.ToString().StartsWith("Bearer tok-", StringComparison.Ordinal)
            ? Json(200, new JObject { ["group"] = "12-16" })
            : Json(401, new JObject()));
        _app.MapPost("/ping", () => Json(200, new JObject { ["result"] = _nextPing }));
        _app.MapPost("/pay", async (HttpRequest r) =>
        {
            var fen = (long)JObject.Parse(await new StreamReader(r.Body).ReadToEndAsync())["fen"]!;
            return fen > 5000 ? Json(403, new JObject { ["error"] = new JObject { ["code"] = "OVER_DAY" }, ["dayFen"] = 0 }) : Json(200, new JObject { ["dayFen"] = fen });
        });
        _app.MapPost("/login", (HttpResponse r) =>
        {
            r.Headers.SetCookie = "sid=s" + Interlocked.Increment(ref n) + "; Path=/; HttpOnly";
            return Json(200, new JObject());
        });
        _app.MapPost("/reports", (HttpRequest r) =>
        {
            var id = "r" + Interlocked.Increment(ref n);
            reports[id] = r.Cookies["sid"] ?? "";
            return Json(201, new JObject { ["id"] = id });
        });
        _app.MapGet("/reports/{id}", (string id, HttpRequest r) => reports.TryGetValue(id, out var owner) && owner.Length > 0 && r.Cookies["sid"] == owner
            ? Json(200, new JObject { ["state"] = "received" })
            : Json(404, new JObject()));
        _app.MapPost("/log", () => Results.Text("logged 200", "text/plain"));
        _app.MapGet("/feed/{id}", () => Json(200, new JObject { ["ok"] = "v1" }));
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static IResult Json(int status, JObject body) => Results.Text(body.ToString(Newtonsoft.Json.Formatting.None), "application/json", statusCode: status);

    private HttpDriver Driver(string json = ProfileJson) =>
        new(new HttpClient(new SocketsHttpHandler { UseCookies = false }), _base, ProfileLoader.Parse(json, "other.json"),
            new Dictionary<string, string> { ["conformanceKey"] = "0123456789abcdef0123" },
            new HttpDriverOptions { RequestTimeout = TimeSpan.FromSeconds(5), TimeProvider = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) });

    [Fact]
    public async Task CreateSubject_SignsUp_WithABirthDateForTheAgeAtTheAppsClock_ThenEnablesYouthModeWithTheCapturedToken()
    {
        var driver = Driver();
        (await driver.ExecuteAsync("setClock", new JObject { ["local"] = "2026-03-04T10:00:00" })).Error.Should().BeNull();

        var result = await driver.ExecuteAsync("createSubject", new JObject { ["age"] = 13, ["teenMode"] = true });

        result.Error.Should().BeNull();
        result.Fields["subjectId"]!.ToString().Should().StartWith("u");
        result.Fields["band"]!.ToString().Should().Be("12-16");
        result.Exchanges.Select(e => e.Path).Should().Equal("/signup", "/me/youth");
        var clock = _seen.Single(s => s.Path == "/test/clock");
        JObject.Parse(clock.Body)["epochMs"]!.Value<long>().Should().Be(DateTimeOffset.Parse("2026-03-04T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        JObject.Parse(_seen.Single(s => s.Path == "/signup").Body)["birthday"]!.ToString().Should().Be("2012-09-03", "13 years and half a year before 2026-03-04 local");
        result.Exchanges[1].RequestHeaders["Authorization"].Should().Be("***", "the token is a credential in evidence");
        _seen.Single(s => s.Path == "/me/youth").Authorization.Should().StartWith("Bearer tok-u");
    }

    [Fact]
    public async Task TeenModeFalse_SkipsTheSecondRequest()
    {
        var result = await Driver().ExecuteAsync("createSubject", new JObject { ["age"] = 13, ["teenMode"] = false });

        result.Exchanges.Select(e => e.Path).Should().Equal("/signup");
    }

    [Fact]
    public async Task RememberedTokens_AreSentForTheirSubjectOnly_AndAMissingOneSendsNoHeader()
    {
        var driver = Driver();
        var a = (string)(await driver.ExecuteAsync("createSubject", new JObject { ["age"] = 13, ["teenMode"] = true })).Fields["subjectId"]!;
        var b = (string)(await driver.ExecuteAsync("createSubject", new JObject { ["age"] = 13, ["teenMode"] = true })).Fields["subjectId"]!;

        await driver.ExecuteAsync("heartbeat", new JObject { ["subjectId"] = b, ["sequence"] = 1, ["seconds"] = 60 });
        await driver.ExecuteAsync("heartbeat", new JObject { ["subjectId"] = a, ["sequence"] = 1, ["seconds"] = 60 });
        await driver.ExecuteAsync("heartbeat", new JObject { ["subjectId"] = "unknown", ["sequence"] = 1, ["seconds"] = 60 });

        _seen.Where(s => s.Path == "/ping").Select(s => s.Authorization).Should().Equal($"Bearer tok-{b}", $"Bearer tok-{a}", null);
    }

    [Fact]
    public async Task OutcomeTable_TranslatesTheAppsCodes_AndAnUnmappedCodeIsAnErrorNamingIt()
    {
        var driver = Driver();
        _nextPing = "DENIED_NIGHT";
        var denied = await driver.ExecuteAsync("heartbeat", new JObject { ["subjectId"] = "s", ["sequence"] = 1, ["seconds"] = 60 });
        _nextPing = "DENIED_SOMETHING_NEW";
        var unmapped = await driver.ExecuteAsync("heartbeat", new JObject { ["subjectId"] = "s", ["sequence"] = 2, ["seconds"] = 60 });

        denied.Error.Should().BeNull();
        denied.Fields["allowed"]!.Value<bool>().Should().BeFalse();
        denied.Fields["reasonCode"]!.ToString().Should().Be("curfew");
        unmapped.Error!.Kind.Should().Be("unmapped");
        unmapped.Error.Message.Should().Contain("DENIED_SOMETHING_NEW").And.Contain("heartbeat");
    }

    [Fact]
    public async Task MoneyIsSentInFen_StatusAndCodeMapsTranslate_AndAContinuedRefusalIsRead()
    {
        var driver = Driver();
        var id = (string)(await driver.ExecuteAsync("createSubject", new JObject { ["age"] = 13, ["teenMode"] = true })).Fields["subjectId"]!;

        var ok = await driver.ExecuteAsync("purchase", new JObject { ["subjectId"] = id, ["amount"] = "50.00" });
        var over = await driver.ExecuteAsync("purchase", new JObject { ["subjectId"] = id, ["amount"] = "50.01" });

        JObject.Parse(_seen.First(s => s.Path == "/pay").Body)["fen"]!.Value<long>().Should().Be(5000);
        ok.Fields["allowed"]!.Value<bool>().Should().BeTrue();
        ok.Fields["dayTotal"]!.ToString().Should().Be("50.00");
        ok.Fields["reasonCode"]!.Type.Should().Be(JTokenType.Null, "a body with no error code takes the map's default");
        over.Fields["allowed"]!.Value<bool>().Should().BeFalse();
        over.Fields["reasonCode"]!.ToString().Should().Be("spend-over-daily-cap");
        over.Fields["status"]!.Value<int>().Should().Be(403);
    }

    [Fact]
    public async Task ACookieCapturedAtLogIn_IsRememberedForTheReport_SoOnlyTheReporterReadsIt()
    {
        var driver = Driver();
        var filed = await driver.ExecuteAsync("fileReport", new JObject { ["category"] = "bullying" });
        var reportId = (string)filed.Fields["reportId"]!;

        var asReporter = await driver.ExecuteAsync("getReport", new JObject { ["reportId"] = reportId, ["allowed"] = true });

        filed.Error.Should().BeNull();
        asReporter.Fields["reportStatus"]!.ToString().Should().Be("received");
        _seen.Single(s => s.Path == "/reports/" + reportId).Cookie.Should().StartWith("sid=s");
        filed.Exchanges[1].RequestHeaders["Cookie"].Should().Be("***");
        filed.Exchanges[0].ResponseHeaders["Set-Cookie"].Should().Be("***");
    }

    [Fact]
    public async Task AFieldOfTheWrongType_IsAnErrorNamingTheField_NotAFailure()
    {
        var driver = Driver();
        var id = (string)(await driver.ExecuteAsync("fileReport", new JObject { ["category"] = "bullying" })).Fields["reportId"]!;

        var result = await driver.ExecuteAsync("getReport", new JObject { ["reportId"] = id });

        result.Error!.Kind.Should().Be("type");
        result.Error.Message.Should().Contain("'allowed'").And.Contain("boolean");
    }

    [Fact]
    public async Task FormBodies_AndPlainTextAnswers_WhichAJsonPathCannotRead()
    {
        var driver = Driver();

        var logged = await driver.ExecuteAsync("probeLog", new JObject { ["text"] = "a b&c" });
        var found = await driver.ExecuteAsync("searchLogs", new JObject { ["value"] = "x" });

        logged.Error.Should().BeNull();
        logged.Fields["logged"]!.Value<bool>().Should().BeTrue();
        _seen.First(s => s.Path == "/log").Body.Should().Be("msg=a+b%26c&from=harness");
        found.Error!.Kind.Should().Be("non-json");
        found.Error.Message.Should().Contain("searchLogs");
    }

    [Fact]
    public async Task UndefinedOptionalQueryParameters_AreLeftOut()
    {
        var driver = Driver();
        await driver.ExecuteAsync("loadFeed", new JObject { ["subjectId"] = "s1" });
        await driver.ExecuteAsync("loadFeed", new JObject { ["subjectId"] = "s2", ["q"] = "猫 cats" });

        _seen.Select(s => s.Path).Should().Contain("/feed/s1").And.Contain("/feed/s2?search=%E7%8C%AB%20cats");
    }

    [Fact]
    public async Task AnExpressionThatFails_IsAnErrorWithTheExpression()
    {
        var result = await Driver().ExecuteAsync("purchase", new JObject { ["subjectId"] = "s", ["amount"] = "1.234" });

        result.Error!.Kind.Should().Be("template");
        result.Error.Message.Should().Contain("tm.fen(amount)").And.Contain("two decimals");
    }
}
