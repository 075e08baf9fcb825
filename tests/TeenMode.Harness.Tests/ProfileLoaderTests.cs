using TeenMode.Harness.Profiling;

namespace TeenMode.Harness.Tests;

public class ProfileLoaderTests
{
    [Fact]
    public void BuiltinProfile_MapsEveryActionTheShippedSuiteUses()
    {
        var profile = ProfileLoader.LoadBuiltin();
        var suite = Suites.SuiteLoader.LoadEmbedded();

        suite.Checks.SelectMany(c => c.Steps).Select(s => s.Action).Distinct().Should().OnlyContain(a => profile.Actions.ContainsKey(a));
        suite.Checks.SelectMany(c => c.Capabilities).Distinct().Should().OnlyContain(c => profile.Capabilities.Contains(c));
        profile.Secrets.Should().Contain("conformanceKey");
        profile.HeaderVariables.Should().Contain("conformanceKey");
    }

    [Fact]
    public void UnknownAction_ReservedStatusField_AndBadJsonPath_AreLocated()
    {
        const string json = """
            {
              "id": "p", "version": "1", "capabilities": [],
              "actions": {
                "checkUsgae": { "method": "GET", "path": "/u" },
                "getReport": { "method": "GET", "path": "/r", "extract": { "status": "$.status", "x": "$.[" } }
              }
            }
            """;

        var act = () => ProfileLoader.Parse(json, "p.json");

        var errors = act.Should().Throw<TeenModeConfigurationException>().Which.Errors;
        errors.Select(e => (e.Line, e.Message[..20])).Should().HaveCount(3);
        errors[0].Line.Should().Be(4);
        errors[0].Message.Should().StartWith("unknown action 'checkUsgae'");
        errors.Should().Contain(e => e.Line == 5 && e.Message.Contains("'status' is reserved"));
        errors.Should().Contain(e => e.Line == 5 && e.Message.Contains("invalid JSONPath"));
    }
}
