using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Reporting;
using TeenMode.Harness.Running;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

public class ReportTests
{
    private static async Task<RunReport> MixedReport()
    {
        var driver = new FakeDriver("subject-setup")
            .On("checkUsage", _ => (200, new JObject { ["allowed"] = true, ["reasonCode"] = "<script>alert(1)</script>" }))
            .On("getSubject", _ => (200, new JObject { ["teenMode"] = true }));
        var checks = string.Join(",",
            TestSuites.Check("OK-1", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }""", function: "parental-control"),
            TestSuites.Check("BAD-1", """{ "action": "checkUsage", "args": {}, "expect": { "allowed": false } }"""),
            TestSuites.Check("SKIP-1", """{ "action": "checkUsage", "args": {} }""", "\"virtual-clock\""));
        return await ConformanceRunner.RunAsync(TestSuites.Parse(checks), TestSuites.Profile, driver, "http://127.0.0.1:1/?a=<b>");
    }

    [Fact]
    public async Task Json_HasTheDocumentedShape()
    {
        var report = await MixedReport();

        var json = ReportJson.Build(report);

        json["schemaVersion"]!.ToString().Should().Be(RunReport.CurrentSchemaVersion);
        json["verdict"]!.ToString().Should().Be("non-conformant");
        json["harness"]!["version"]!.ToString().Should().NotBeEmpty();
        json["suite"]!["sha256"]!.ToString().Should().Be(report.Suite.Sha256);
        json["profile"]!["id"]!.ToString().Should().Be("teenmode-sdk");
        json["profile"]!["sha256"]!.ToString().Should().MatchRegex("^[0-9a-f]{64}$");
        json["summary"]!.ToObject<Dictionary<string, int>>().Should().Equal(new Dictionary<string, int>
        {
            ["total"] = 3, ["passed"] = 1, ["failed"] = 1, ["error"] = 0, ["skipped"] = 1,
        });
        var check = json["checks"]![1]!;
        check["id"]!.ToString().Should().Be("BAD-1");
        check["title"]!["zh-CN"]!.ToString().Should().Be("检查 BAD-1");
        check["function"]!.ToString().Should().Be("anti-addiction");
        check["requirementIds"]!.ToObject<string[]>().Should().Equal("CAC-MM-CURFEW-01");
        check["verdict"]!.ToString().Should().Be("failed");
        check["steps"]![0]!["status"]!.Value<int>().Should().Be(200);
        DateTimeOffset.Parse(json["startedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeOnOrBefore(DateTimeOffset.Parse(json["finishedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Html_IsSelfContained_ShowsTheVerdict_AndEncodesEverything()
    {
        var html = HtmlReport.Render(await MixedReport());

        html.Should().StartWith("<!DOCTYPE html>");
        html.Should().Contain("<style>");
        html.Should().NotContainAny("<script", "<link", "src=", "@import", "url(", "href=\"http");
        html.Should().Contain("class=\"verdict v-non-conformant\"").And.Contain("不符合").And.Contain("NON-CONFORMANT");
        html.Should().Contain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.Should().Contain("http://127.0.0.1:1/?a=&lt;b&gt;");
        html.Should().Contain("按功能统计 / Scorecard by function").And.Contain("防沉迷 / Anti-addiction").And.Contain("<details>");
    }

    [Fact]
    public async Task Html_ListsFailedChecksBeforePassedOnes()
    {
        var html = HtmlReport.Render(await MixedReport());

        var rows = Regex.Matches(html, "<tr id=\"case-([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();

        rows.Should().Equal("BAD-1", "SKIP-1", "OK-1");
    }

    [Fact]
    public async Task Writer_WritesBothFiles()
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-report-test-");
        try
        {
            var files = await ReportWriter.WriteAsync(await MixedReport(), dir.FullName);

            File.Exists(files.Json).Should().BeTrue();
            JObject.Parse(await File.ReadAllTextAsync(files.Json))["verdict"]!.ToString().Should().Be("non-conformant");
            (await File.ReadAllTextAsync(files.Html)).Should().Contain("v-non-conformant");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
