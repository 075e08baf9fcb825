using Newtonsoft.Json.Linq;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;

namespace TeenMode.Harness.Tests;

public sealed class ReportingEvidenceTests
{
    [Fact]
    public void ReportDescriptions_AreMaskedInEvidence_BecauseTheyMayHoldPersonalData()
    {
        var body = JObject.Parse("""{ "reporterKind": "minor", "description": "我叫小明，住在… / my name is …", "targetId": "v1" }""");

        var scrubbed = (JObject)new Redactor().Json(body)!;

        scrubbed["description"]!.ToString().Should().Be(Redactor.Mask);
        scrubbed["targetId"]!.ToString().Should().Be("v1");
    }

    [Fact]
    public void ShippedSuite_ReportingChecks_CiteRequirementsAndUseOnlyVocabularyActions()
    {
        var suite = SuiteLoader.LoadEmbedded();
        var reporting = suite.Checks.Where(c => c.Function == "reporting").ToList();

        reporting.Select(c => c.Id).Should().Contain(["RP-RECEIPT-IDEMPOTENT", "RP-INTAKE-TEEN-MODE", "RP-STATUS-READABLE", "RP-ESCALATION-SINK", "RP-DEADLINE-OVERDUE"]);
        reporting.Should().OnlyContain(c => c.RequirementIds.Count > 0);
        reporting.SelectMany(c => c.Steps).Should().OnlyContain(s => ActionVocabulary.Contains(s.Action));
        suite.Checks.Single(c => c.Id == "RP-ESCALATION-SINK").RequirementIds.Should().Contain("MPL-11");
    }
}
