using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using ShortVideoApp;
using TeenMode.AspNetCore;
using TeenMode.Audit;

namespace TeenMode.IntegrationTests;

/// <summary>Issue 13: every staff route of the sample needs a valid reviewer key; the SDK never maps them anonymously.</summary>
public sealed class StaffAuthorizationTests
{
    private const string ReviewerKey = "integration-reviewer-key-0123456789abcdef";

    public static TheoryData<string?> BadKeys => new()
    {
        null, // no header
        string.Empty,
        "x",
        "0123456789abcdef0123456789abcdef", // 32 bytes, wrong
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task EveryStaffRoute_WithoutAValidReviewerKey_Answers401ProblemJson_AndChangesNothing(string? key)
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var setup = await SetUpAsync(app);
        var audit = app.App.Services.GetRequiredService<IAuditLog>();
        var auditBefore = (await audit.ReadAsync()).Count;
        using var client = new HttpClient { BaseAddress = app.App.BaseAddress };

        foreach (var (method, path, body) in Routes(setup))
        {
            var (status, contentType, problem) = await SendAsync(client, method, path, body, key);

            status.Should().Be(401, $"{method} {path} with key '{key}'");
            contentType.Should().Be("application/problem+json", $"{method} {path}");
            problem["reasonCode"]!.ToString().Should().Be("unauthenticated");
            problem["title"]!.ToString().Should().Contain("需要工作人员身份").And.Contain("Staff credentials required");
            problem.ToString().Should().NotContain("2014-05-01", "no personal data in a refusal");
        }

        (await audit.ReadAsync()).Count.Should().Be(auditBefore, "no refused request changed anything");
        (await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/reports/{setup.ReportId}")).Body["status"]!.ToString().Should().Be("received");
        (await app.SendAsync(HttpMethod.Get, $"/teenmode/v1/refund-requests/{setup.RefundId}")).Body["status"]!.ToString().Should().Be("pending");
    }

    [Fact]
    public async Task EveryStaffRoute_WithTheReviewerKey_IsServed()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var setup = await SetUpAsync(app);
        using var client = new HttpClient { BaseAddress = app.App.BaseAddress };
        int[] expected = [200, 200, 200, 200, 200, 201, 403, 201, 200, 200];

        var routes = Routes(setup);
        for (var i = 0; i < routes.Count; i++)
        {
            var (method, path, body) = routes[i];
            var (status, _, answer) = await SendAsync(client, method, path, body, ReviewerKey);

            status.Should().Be(expected[i], $"{method} {path}: {answer}");
            answer["reasonCode"]?.ToString().Should().NotBe("unauthenticated").And.NotBe("forbidden");
        }

        // The 403 above is the endpoint's own rule (no approved access grant), not the authorization layer.
        var (_, _, refusal) = await SendAsync(client, HttpMethod.Get, routes[6].Path, null, ReviewerKey);
        refusal["reasonCode"]!.ToString().Should().Be("staff-access-not-granted");
    }

    [Fact]
    public async Task ReportAndRefundDecisions_IgnoreTheConformanceKey()
    {
        await using var app = await SampleApp.StartAsync(configure: o => o.ReviewerKey = ReviewerKey);
        var setup = await SetUpAsync(app);

        // app.Client sends the conformance key; it opens the harness's surfaces, never reviewers' decisions.
        (await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/review/reports/{setup.ReportId}/triage", """{"actor":"rev-1"}""")).Status.Should().Be(401);
        (await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/review/refund-requests/{setup.RefundId}/approve", """{"actor":"s"}""")).Status.Should().Be(401);
        (await app.SendAsync(HttpMethod.Get, "/teenmode/v1/admin/content/export")).Status.Should().Be(200);
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("0123456789abcdef0123456789abcde")] // 31 bytes
    [InlineData("                                ")] // 32 blanks
    public void Sample_WithAWeakSecret_RefusesToStart_NamingTheKey(string weak)
    {
        ShortVideoAppOptions Options() => new() { DatabasePath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".db") };

        ((Action)(() => ShortVideoAppHost.Build(WithReviewer(Options())))).Should().Throw<ArgumentException>().WithMessage("*ReviewerKey*TEENMODE_REVIEWER_KEY*32 bytes*");
        ((Action)(() => ShortVideoAppHost.Build(WithConformance(Options())))).Should().Throw<ArgumentException>().WithMessage("*ConformanceKey*32 bytes*");
        ((Action)(() => ShortVideoAppHost.Build(WithAuthority(Options())))).Should().Throw<ArgumentException>().WithMessage("*AuthoritySinkSecret*32 bytes*");

        ShortVideoAppOptions WithReviewer(ShortVideoAppOptions o)
        {
            o.ReviewerKey = weak;
            return o;
        }

        ShortVideoAppOptions WithConformance(ShortVideoAppOptions o)
        {
            o.ConformanceKey = weak;
            return o;
        }

        ShortVideoAppOptions WithAuthority(ShortVideoAppOptions o)
        {
            o.AuthoritySinkSecret = weak;
            return o;
        }
    }

    [Fact]
    public void Sdk_MappingAStaffSurfaceWithoutItsPolicy_FailsAtStartupWithABilingualMessage()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Services.AddTeenMode();
        builder.Services.AddTeenModeAuthorization(o => o.ReportReviewerPolicy = "my-reviewers");
        var app = builder.Build();

        var act = () => app.MapTeenModeReportReview();

        act.Should().Throw<TeenModeConfigurationException>().WithMessage("*my-reviewers*not registered*").WithMessage("*未注册授权策略*");
    }

    [Fact]
    public async Task Sdk_AnAuthenticatedUserWithoutTheRole_Gets403ProblemJson_AndAnonymousGets401()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Services.AddTeenMode();
        builder.Services.AddAuthentication("test").AddScheme<AuthenticationSchemeOptions, HeaderUserHandler>("test", null);
        builder.Services.AddTeenModeAuthorization(o => o.ReportReviewerPolicy = "my-reviewers");
        builder.Services.AddAuthorizationBuilder().AddPolicy("my-reviewers", p => p.RequireRole("reviewer"));
        await using var app = builder.Build();
        app.MapTeenModeReportReview();
        await app.StartAsync();
        using var client = app.GetTestClient();

        var (anonymous, anonymousType, unauthenticated) = await SendAsync(client, HttpMethod.Get, "/teenmode/v1/review/reports/overdue", null, null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/teenmode/v1/review/reports/overdue");
        request.Headers.Add("X-User", "someone");
        using var response = await client.SendAsync(request);
        var forbidden = JObject.Parse(await response.Content.ReadAsStringAsync());

        anonymous.Should().Be(401);
        anonymousType.Should().Be("application/problem+json");
        unauthenticated["reasonCode"]!.ToString().Should().Be("unauthenticated");
        ((int)response.StatusCode).Should().Be(403);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        forbidden["reasonCode"]!.ToString().Should().Be("forbidden");
        forbidden["title"]!.ToString().Should().Contain("无权").And.Contain("not permitted");
    }

    private static List<(HttpMethod Method, string Path, string? Body)> Routes(Setup s) =>
    [
        (HttpMethod.Get, "/teenmode/v1/review/reports/overdue", null),
        (HttpMethod.Get, $"/teenmode/v1/review/reports/{s.ReportId}", null),
        (HttpMethod.Post, $"/teenmode/v1/review/reports/{s.ReportId}/triage", """{"actor":"rev-1"}"""),
        (HttpMethod.Get, $"/teenmode/v1/review/refund-requests/{s.RefundId}", null),
        (HttpMethod.Post, $"/teenmode/v1/review/refund-requests/{s.RefundId}/approve", """{"actor":"staff-1"}"""),
        (HttpMethod.Post, "/teenmode/v1/pi-admin/staff-access/requests",
            $$"""{"staffId":"agent-7","subjectId":"{{s.Kid}}","purpose":"complaint-handling","justification":"guardian ticket 881"}"""),
        (HttpMethod.Get, $"/teenmode/v1/pi-admin/staff-access/subjects/{s.Kid}/data?staffId=agent-7", null),
        (HttpMethod.Post, "/teenmode/v1/pi-admin/breaches",
            $$"""{"actor":"dpo","occurredAt":"2026-03-04T02:00:00Z","categories":["birth-date"],"affectedSubjects":[{"subjectId":"{{s.Kid}}"}],"cause":"c","harm":"h","remedies":"r","contact":"privacy@example.invalid"}"""),
        (HttpMethod.Get, "/teenmode/v1/admin/content/export", null),
        (HttpMethod.Put, "/teenmode/v1/admin/content/v0001/rating", """{ "reviewerId": "r-9", "bands": ["3-8"], "mayAffectMinors": false, "flags": [], "reason": "re-rated" }"""),
    ];

    // A minor with a guardian, a report about them and a pending refund, set up through the public and conformance APIs.
    private static async Task<Setup> SetUpAsync(SampleApp app)
    {
        await app.SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", "{\"local\":\"2026-03-04T10:00:00\"}");
        var (created, subject) = await app.SendAsync(HttpMethod.Post, "/teenmode/conformance/v1/subjects", """{"birthDate":"2014-05-01"}""");
        created.Should().Be(201);
        var kid = subject["subjectId"]!.ToString();
        (await app.BindGuardianAsync(kid, "mum", "246810")).Should().Be(201);
        var (_, report) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/reports",
            $$"""{"reporterKind":"guardian","category":"bullying","targetKind":"user","targetId":"bully-1","subjectId":"{{kid}}"}""", ("Idempotency-Key", "k1"));
        var (_, spend) = await app.SendAsync(HttpMethod.Post, "/teenmode/v1/subjects/" + kid + "/spends", "{\"category\":\"video\",\"amount\":\"5.00\"}");
        var (_, refund) = await app.SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{kid}/spends/{spend["spendId"]}/refund-requests", "{\"guardianId\":\"mum\"}");
        return new Setup(kid, report["reportId"]!.ToString(), refund["refundId"]!.ToString());
    }

    private static async Task<(int Status, string? ContentType, JObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json, string? key)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(ShortVideoAppHost.ReviewerKeyHeader, key);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.StartsWith('{') ? JObject.Parse(text) : new JObject();
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private sealed record Setup(string Kid, string ReportId, string RefundId);

    // Signs in whoever names themselves in X-User, with no roles: authenticated but not a reviewer.
    private sealed class HeaderUserHandler(
        Microsoft.Extensions.Options.IOptionsMonitor<AuthenticationSchemeOptions> options,
        Microsoft.Extensions.Logging.ILoggerFactory logger,
        System.Text.Encodings.Web.UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers["X-User"].ToString();
            if (user.Length == 0)
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, user)], Scheme.Name);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), Scheme.Name)));
        }
    }
}
