using System.Text.RegularExpressions;
using System.Xml.Linq;
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
            ["total"] = 3, ["passed"] = 1, ["failed"] = 1, ["error"] = 0, ["skipped"] = 1, ["not-applicable"] = 0,
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
    public async Task Writer_WritesAllFiveFormats_WithTheSameVerdict()
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-report-test-");
        try
        {
            var files = await ReportWriter.WriteAsync(await MixedReport(), dir.FullName);

            files.All.Select(Path.GetFileName).Should().Equal("report.json", "report.html", "junit.xml", "ctrf.json", "summary.md");
            JObject.Parse(await File.ReadAllTextAsync(files.Json))["verdict"]!.ToString().Should().Be("non-conformant");
            (await File.ReadAllTextAsync(files.Html)).Should().Contain("v-non-conformant");
            XDocument.Parse(await File.ReadAllTextAsync(files.JUnit)).Descendants("failure").Should().ContainSingle();
            JObject.Parse(await File.ReadAllTextAsync(files.Ctrf))["results"]!["extra"]!["verdict"]!.ToString().Should().Be("non-conformant");
            (await File.ReadAllTextAsync(files.Markdown)).Should().Contain("non-conformant");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<RunReport> ReportWithAnError()
    {
        var report = await MixedReport();
        var errored = await ConformanceRunner.RunAsync(
            TestSuites.Parse(TestSuites.Check("ERR-1", """{ "action": "getSubject", "args": {}, "expect": { "teenMode": true } }""")),
            TestSuites.Profile, new FakeDriver("subject-setup") { TransportError = new Drivers.DriverError("transport", "connection refused") }
                .On("getSubject", _ => (200, new JObject())),
            "http://127.0.0.1:1/");
        return report with { Cases = [.. report.Cases, .. errored.Cases] };
    }

    [Fact]
    public async Task JUnit_OneSuitePerFunction_FailuresErrorsAndSkipsKeptApart()
    {
        var report = await ReportWithAnError();

        var xml = XDocument.Parse(JUnitReport.Render(report));

        var suites = xml.Root!.Elements("testsuite").ToList();
        xml.Root.Name.LocalName.Should().Be("testsuites");
        suites.Select(s => (string)s.Attribute("name")!).Should().Equal("test-suite.parental-control", "test-suite.anti-addiction");
        var aa = suites[1];
        ((int)aa.Attribute("tests")!, (int)aa.Attribute("failures")!, (int)aa.Attribute("errors")!, (int)aa.Attribute("skipped")!).Should().Be((3, 1, 1, 1));
        aa.Elements("testcase").Single(t => ((string)t.Attribute("name")!).StartsWith("BAD-1", StringComparison.Ordinal))
            .Element("failure")!.Attribute("type")!.Value.Should().Be("critical");
        aa.Elements("testcase").Single(t => ((string)t.Attribute("name")!).StartsWith("ERR-1", StringComparison.Ordinal))
            .Element("error")!.Attribute("message")!.Value.Should().Contain("connection refused");
        aa.Attribute("timestamp")!.Value.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", "the Ant schema allows no zone or fraction");
        aa.Elements().Select(e => e.Name.LocalName).Should().StartWith("properties").And.EndWith(["system-out", "system-err"]);
    }

    [Fact]
    public async Task Ctrf_MapsErrorToOther_NeverToPassedOrFailed_AndCarriesRequirements()
    {
        var report = await ReportWithAnError();

        var ctrf = JObject.Parse(CtrfReport.Render(report));

        ctrf["reportFormat"]!.ToString().Should().Be("CTRF");
        ctrf["specVersion"]!.ToString().Should().MatchRegex(@"^\d+\.\d+\.\d+$");
        var summary = ctrf["results"]!["summary"]!;
        ((int)summary["tests"]!, (int)summary["passed"]!, (int)summary["failed"]!, (int)summary["skipped"]!, (int)summary["other"]!).Should().Be((4, 1, 1, 1, 1));
        var err = ctrf["results"]!["tests"]!.Single(t => t["testId"]!.ToString() == "ERR-1");
        err["status"]!.ToString().Should().Be("other");
        err["rawStatus"]!.ToString().Should().Be("error");
        ctrf["results"]!["tests"]!.Single(t => t["testId"]!.ToString() == "BAD-1")["tags"]!.ToObject<string[]>().Should().Equal("CAC-MM-CURFEW-01");
        Guid.TryParse(ctrf["reportId"]!.ToString(), out _).Should().BeTrue();
        CtrfReport.Render(report).Should().Be(CtrfReport.Render(report), "rendering the same run twice gives the same bytes");
    }

    [Fact]
    public async Task Markdown_ShowsVerdictScorecard_AndOnlyTheCasesThatDidNotPass_FailuresFirst()
    {
        var md = MarkdownReport.Render(await ReportWithAnError());

        md.Should().StartWith("## ❌").And.Contain("不符合 / non-conformant");
        md.Should().Contain("| anti-addiction | 0 | 1 | 1 | 1 | 0 | 0% |").And.Contain("| parental-control | 1 | 0 | 0 | 0 | 0 | 100% |");
        md.IndexOf("`BAD-1`", StringComparison.Ordinal).Should().BeLessThan(md.IndexOf("`ERR-1`", StringComparison.Ordinal));
        md.Should().NotContain("`OK-1`");
        md.Should().NotContain("<script>", "an app's answer must not inject HTML into a CI summary").And.Contain("&lt;script&gt;");
    }
}
