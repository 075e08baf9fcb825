using System.Reflection;
using TeenMode.Harness.Suites;
using TeenMode.Harness.Tests.Support;

namespace TeenMode.Harness.Tests;

public class SuiteLoaderTests
{
    private const string OneStep = """{ "action": "checkUsage", "args": { "subjectId": "s1" }, "expect": { "allowed": true } }""";

    [Fact]
    public void ShippedSuite_Loads_WithTheCheckIdsTheMutantsTarget()
    {
        var suite = SuiteLoader.LoadEmbedded();

        suite.Id.Should().Be("cn-minor-mode");
        suite.Checks.Select(c => c.Id).Should().Equal(
            "AA-CURFEW-BOUNDARY", "AA-CURFEW-SESSION", "AA-DAILY-LIMIT", "AA-REST-REMINDER", "PC-EXIT-GUARDIAN", "PC-PIN-LOCKOUT", "CP-OUT-OF-POOL",
            "CP-FEED-BAND", "CP-MAY-AFFECT", "CP-HOT-LIST", "CP-FORBIDDEN-TOPIC", "CP-ADS-LINKS", "CP-AUDIO-FIRST", "CP-RICHNESS",
            "RP-RECEIPT-IDEMPOTENT", "RP-INTAKE-TEEN-MODE", "RP-STATUS-READABLE", "RP-ESCALATION-SINK", "RP-DEADLINE-OVERDUE",
            "AA-GAME-WINDOW", "AA-GAME-SPEND",
            "AA-SPEND-TRANSACTION", "AA-SPEND-DAILY", "AA-SPEND-MONTHLY", "AA-SPEND-TIPPING", "PC-REFUND-RECEIPT", "PC-REFUND-REFUSAL",
            "PI-LOG-REDACTION", "PI-BREACH-NOTICES",
            "PC-BIND-TWO-SIDED", "PC-SETTINGS-BOUNDS", "AA-EXEMPT-CATEGORY", "PC-FEATURE-DEFAULTS",
            "PI-CONSENT-UNDER-14", "PI-PURPOSE-MISMATCH", "PI-REFUSAL-KEEPS-BASIC", "PI-EXPORT", "PI-DELETION", "PI-WITHDRAWAL-DELETES",
            "PC-GUARDIAN-SPEND-CAP", "PC-USAGE-REPORT",
            "AA-DAY-ROLLOVER-LOCAL", "AA-CURFEW-EXACT", "AA-BUDGET-DEVICES", "PC-EXIT-MISSING-PIN", "AA-BIRTHDAY-MIDNIGHT", "RP-STATUS-REPORTER-ONLY",
            "CP-FIXTURE-ITEMS", "PI-CONSENT-EVERY-PURPOSE",
            "AG-GAME-REAL-NAME", "AG-REAL-NAME-PENDING", "AG-IDENTITY-IMPOSSIBLE", "AG-SIGNAL-STRADDLE", "AG-DEVICE-MINOR-MODE");
        suite.Checks.SelectMany(c => c.Cases()).Select(c => c.Id).Should().Contain(
            ["AA-CURFEW-BOUNDARY[21:59:59 allowed]", "AA-CURFEW-BOUNDARY[22:00:00 denied]", "AA-DAILY-LIMIT[band 16-18]", "PC-EXIT-GUARDIAN",
             "AA-CURFEW-EXACT[00:00:00 as 16:00:00Z denied]", "PC-EXIT-MISSING-PIN[PIN empty]",
             "AG-IDENTITY-IMPOSSIBLE[30 February]", "AG-SIGNAL-STRADDLE[apple sharing 10-13]"]);
        suite.Sha256.Should().MatchRegex("^[0-9a-f]{64}$");
        suite.Checks.Should().OnlyContain(c => c.RequirementIds.Count > 0 && c.Title.ZhCn.Length > 0 && c.Title.En.Length > 0);
    }

    [Fact]
    public void ShippedSuite_FileOnDisk_LoadsThroughResolve()
    {
        var path = Path.Combine(RepoRoot(), "seeds", "suites", "cn-minor-mode.json");
        var embedded = SuiteLoader.LoadEmbedded();
        SuiteLoader.Resolve(path).Sha256.Should().Be(embedded.Sha256);
        SuiteLoader.Resolve(path).Checks.Should().HaveCount(embedded.Checks.Count);
        SuiteLoader.Resolve("cn-minor-mode").Checks.Should().HaveCount(embedded.Checks.Count);
    }

    [Fact]
    public void SyntaxError_IsReportedWithLineAndColumn()
    {
        const string json = "{\n  \"id\": \"x\",\n  \"version\": \"1\"\n  \"title\": {}\n}";

        var error = Errors(json).Should().ContainSingle().Subject;

        error.ToString().Should().StartWith("bad.json:4:2: invalid JSON");
    }

    [Fact]
    public void WrongType_IsReportedAtTheValue()
    {
        var json = TestSuites.Document(TestSuites.Check("A-1", OneStep).Replace(
            "\"requirementIds\": [\"CAC-MM-CURFEW-01\"]", "\"requirementIds\": \"CAC-MM-CURFEW-01\"", StringComparison.Ordinal));
        var (line, column) = EndOf(json, "\"requirementIds\": \"CAC-MM-CURFEW-01\"");

        var error = Errors(json).Should().ContainSingle().Subject;

        (error.Line, error.Column).Should().Be((line, column));
        error.Message.Should().Contain("requirementIds").And.Contain("ArrayExpected");
    }

    [Fact]
    public void UnknownRequirementId_IsReportedAtTheId()
    {
        var json = TestSuites.Document(TestSuites.Check("A-1", OneStep).Replace("CAC-MM-CURFEW-01", "CAC-NOPE-99", StringComparison.Ordinal));
        var (line, column) = EndOf(json, "\"CAC-NOPE-99\"");

        var error = Errors(json).Should().ContainSingle().Subject;

        error.Should().Be(new SeedError("bad.json", line, column, "unknown requirement id 'CAC-NOPE-99' (not in the requirement catalog)"));
    }

    [Fact]
    public void UnknownAction_IsReportedAtTheActionName()
    {
        var json = TestSuites.Document(TestSuites.Check("A-1", OneStep.Replace("checkUsage", "checkUsgae", StringComparison.Ordinal)));
        var (line, column) = EndOf(json, "\"checkUsgae\"");

        var error = Errors(json).Should().ContainSingle().Subject;

        (error.Line, error.Column).Should().Be((line, column));
        error.Message.Should().StartWith("unknown action 'checkUsgae'");
    }

    [Fact]
    public void DuplicateCheckId_IsReportedAtTheSecondId()
    {
        var json = TestSuites.Document(TestSuites.Check("A-1", OneStep) + "," + TestSuites.Check("A-1", OneStep));
        var lastId = json.LastIndexOf("\"A-1\"", StringComparison.Ordinal);
        var (line, column) = Position(json, lastId + "\"A-1\"".Length);

        var error = Errors(json).Should().ContainSingle().Subject;

        (error.Line, error.Column).Should().Be((line, column));
        error.Message.Should().Contain("duplicate check id 'A-1'");
    }

    [Fact]
    public void UndefinedVariable_IsReported_PerParameterSetAndStepOrder()
    {
        const string steps = """
            { "action": "checkUsage", "args": { "subjectId": "${subjectId}" } },
            { "action": "createSubject", "args": { "age": "${age}" }, "save": { "subjectId": "subjectId" } }
            """;
        const string parameters = """[{ "name": "with age", "vars": { "age": 13 } }, { "name": "no age", "vars": {} }]""";
        var json = TestSuites.Document(TestSuites.Check("A-1", steps, parameters: parameters));

        var errors = Errors(json);

        errors.Select(e => e.Message).Should().BeEquivalentTo(
            "undefined variable '${subjectId}' (parameter set 'with age'): no parameter set or earlier step's save defines it / 变量未定义",
            "undefined variable '${subjectId}' (parameter set 'no age'): no parameter set or earlier step's save defines it / 变量未定义",
            "undefined variable '${age}' (parameter set 'no age'): no parameter set or earlier step's save defines it / 变量未定义");
        errors[0].Line.Should().Be(EndOf(json, "\"${subjectId}\"").Line);
    }

    [Fact]
    public void IterationVariable_IsDefinedOnlyInsideRepeat_AndOptionalReferencesAreAllowed()
    {
        const string ok = """{ "action": "heartbeat", "repeat": 3, "args": { "sequence": "${i}", "x": "${maybe?}" } }""";
        const string bad = """{ "action": "heartbeat", "args": { "sequence": "${i}" } }""";

        TestSuites.Parse(TestSuites.Check("A-1", ok)).Checks[0].Steps[0].Repeat!.ToString().Should().Be("3");
        Errors(TestSuites.Document(TestSuites.Check("A-1", bad))).Should().ContainSingle()
            .Which.Message.Should().Contain("'${i}'");
    }

    [Fact]
    public void RepeatVariable_MustBeAnInteger_InEveryParameterSet()
    {
        const string steps = """{ "action": "heartbeat", "repeat": "${n}", "args": {} }""";
        var json = TestSuites.Document(TestSuites.Check("A-1", steps, parameters: """[{ "name": "p", "vars": { "n": "five" } }]"""));

        Errors(json).Should().ContainSingle().Which.Message.Should().Contain("repeat count 'n' must be a non-negative integer");
    }

    [Fact]
    public void MissingFile_IsAnErrorWithTheFileName()
    {
        var act = () => SuiteLoader.Load("/nonexistent/suite.json");

        act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().ContainSingle()
            .Which.File.Should().Be("/nonexistent/suite.json");
    }

    internal static List<SeedError> Errors(string json)
    {
        var act = () => SuiteLoader.Parse(json, "bad.json");
        return act.Should().Throw<TeenModeConfigurationException>().Which.Errors.ToList();
    }

    /// <summary>Newtonsoft locates a token at the character just after it; so does every seed error.</summary>
    internal static (int Line, int Column) EndOf(string json, string fragment)
    {
        var at = json.IndexOf(fragment, StringComparison.Ordinal);
        at.Should().BeGreaterThanOrEqualTo(0, $"'{fragment}' should be in the document");
        return Position(json, at + fragment.Length);
    }

    internal static (int Line, int Column) Position(string json, int offset)
    {
        var before = json[..offset];
        var line = before.Count(c => c == '\n') + 1;
        var column = offset - (before.LastIndexOf('\n') + 1);
        return (line, column);
    }

    internal static string RepoRoot() =>
        typeof(SuiteLoaderTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    [Fact]
    public void OtherFormatVersion_IsRejected_AtTheVersion()
    {
        var json = TestSuites.Document(TestSuites.Check("A-1", """{ "action": "getSubject", "args": {} }"""))
            .Replace("\"formatVersion\": 2", "\"formatVersion\": 1", StringComparison.Ordinal);

        var act = () => SuiteLoader.Parse(json, "old.json");

        act.Should().Throw<TeenModeConfigurationException>().Which.Errors.Should().Contain(e => e.Line == 2 && e.Message.Contains("formatVersion", StringComparison.Ordinal));
    }
}
