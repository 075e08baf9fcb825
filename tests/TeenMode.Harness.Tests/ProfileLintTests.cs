using TeenMode.Harness.Running;

namespace TeenMode.Harness.Tests;

/// <summary>Every class of profile mistake <c>teenmode lint</c> reports, with the file, line and column an auditor fixes.</summary>
public sealed class ProfileLintTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("teenmode-lint-");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<(int Code, string Stderr, string File)> LintAsync(string profile)
    {
        var file = Path.Combine(_dir.FullName, "profile.json");
        await File.WriteAllTextAsync(file, profile);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await TeenMode.Harness.Cli.Cli.RunAsync(["lint", file], stdout, stderr);
        return (code, stderr.ToString(), file);
    }

    // Line 1 is the opening brace; each test puts the mistake on a known line and column.
    private static string Profile(string capabilities, string extra, string actions) => $$"""
        {
          "formatVersion": 2, "id": "p", "version": "1",
          "capabilities": [{{capabilities}}],
          {{extra}}
          "actions": {
        {{actions}}
          }
        }
        """;

    [Fact]
    public async Task UnknownCapability()
    {
        var (code, stderr, file) = await LintAsync(Profile("\"subject-setup\", \"gams\"", "", """    "info": { "method": "GET", "path": "/i" }"""));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:3:42: unknown capability 'gams'");
    }

    [Fact]
    public async Task UnknownNotOfferedName()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "\"notOffered\": { \"payment\": { \"zh-CN\": \"无\", \"en\": \"none\" } },", """    "info": { "method": "GET", "path": "/i" }"""));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:4:28: unknown capability 'payment' declared not offered");
    }

    [Fact]
    public async Task UnknownAction()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "", """    "checkUsages": { "method": "GET", "path": "/u" }"""));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:6:18: unknown action 'checkUsages'");
    }

    [Fact]
    public async Task UndefinedTemplateVariable()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "", """    "checkUsage": { "method": "GET", "path": "/kids/${subjectID}/usage" }"""));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:6:71: action 'checkUsage': undefined variable '${{subjectID}}'");
    }

    [Fact]
    public async Task UndefinedRememberedValue_AndAnUndeclaredMemoryNamespace()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "\"memory\": { \"subject\": \"subjectId\" },",
            """
                "createSubject": { "requests": [ { "method": "POST", "path": "/signup", "capture": { "token": "$.t" } } ], "extract": { "subjectId": "$.id" }, "remember": { "subject.token": "${token}", "kid.token": "${token}" } },
                "checkUsage": { "requests": [ { "method": "GET", "path": "/u", "headers": { "Authorization": "Bearer ${subject.tokn}" } } ] }
            """));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:6:202: remember 'kid.token': the namespace is not declared in 'memory'");
        stderr.Should().Contain($"{file}:7:121: action 'checkUsage': undefined variable '${{subject.tokn}}'");
    }

    [Fact]
    public async Task ExtractionThatCannotYieldTheFieldsType()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "",
            """
                "heartbeat": { "method": "POST", "path": "/p", "extract": { "allowed": { "path": "$.result", "map": { "OK": "yes", "NO": false } }, "remainingSeconds": { "header": "X-Left" } } },
                "checkUsage": { "method": "GET", "path": "/u", "outcome": { "key": "$.r", "cases": { "OK": { "allowed": 1 } } } }
            """));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:6:117: 'allowed' is boolean, but the map value for 'OK' is string");
        stderr.Should().Contain($"{file}:6:157: extract 'remainingSeconds': this extraction yields string, but 'remainingSeconds' is integer");
        stderr.Should().Contain($"{file}:7:109: 'allowed' is boolean, but the outcome value is integer");
    }

    [Fact]
    public async Task ExpressionThatDoesNotParse()
    {
        var (code, stderr, file) = await LintAsync(Profile("", "", """    "createSubject": { "let": { "born": "tm.birthDateForAge(age" }, "method": "POST", "path": "/s" }"""));

        code.Should().Be(ExitCodes.UsageError);
        stderr.Should().Contain($"{file}:6:64: action 'createSubject': expression does not parse");
    }

    [Fact]
    public async Task TheShippedProfiles_LintClean()
    {
        var root = SuiteLoaderTests.RepoRoot();
        foreach (var profile in new[] { "harness/TeenMode.Harness/Profiles/teenmode-sdk.json", "samples/NodeShortVideoApp/teenmode-profile.json" })
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            (await TeenMode.Harness.Cli.Cli.RunAsync(["lint", Path.Combine(root, profile)], stdout, stderr)).Should().Be(0, stderr.ToString());
        }
    }
}
