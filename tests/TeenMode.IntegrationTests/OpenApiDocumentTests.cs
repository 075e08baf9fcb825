using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace TeenMode.IntegrationTests;

/// <summary>
/// <c>docs/openapi.json</c> is the document the running sample serves for <c>/teenmode/v1</c>, so a changed endpoint is a
/// visible diff; the built-in harness profile calls only paths the document has.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    /// <summary>Set to 1 to write the document instead of comparing it (see <see cref="Regenerate"/>).</summary>
    public const string UpdateVariable = "TEENMODE_UPDATE_OPENAPI";

    private const string Regenerate =
        "TEENMODE_UPDATE_OPENAPI=1 dotnet test tests/TeenMode.IntegrationTests --filter FullyQualifiedName~OpenApiDocumentTests.CheckedInDocument";

    private static string CheckedIn => Path.Combine(RepoPaths.Root, "docs", "openapi.json");

    [Fact]
    public async Task CheckedInDocument_IsWhatTheRunningSampleServes()
    {
        await using var app = await SampleApp.StartAsync();
        using var response = await app.Client.GetAsync("openapi/v1.json");
        response.IsSuccessStatusCode.Should().BeTrue($"the sample serves its OpenAPI document outside Production ({(int)response.StatusCode})");
        var generated = Normalize(await response.Content.ReadAsStringAsync());

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, generated);
            return;
        }

        File.Exists(CheckedIn).Should().BeTrue($"docs/openapi.json is checked in; create it with: {Regenerate}");
        var expected = (await File.ReadAllTextAsync(CheckedIn)).ReplaceLineEndings("\n");
        if (expected != generated)
        {
            var want = expected.Split('\n');
            var got = generated.Split('\n');
            var line = Enumerable.Range(0, Math.Max(want.Length, got.Length)).First(i => i >= want.Length || i >= got.Length || want[i] != got[i]);
            Assert.Fail($"docs/openapi.json differs from the API the sample serves, first at line {line + 1}:\n"
                + $"  checked in: {(line < want.Length ? want[line].Trim() : "(end)")}\n  served:     {(line < got.Length ? got[line].Trim() : "(end)")}\n"
                + $"If the endpoint change is intended, regenerate the file and commit it: {Regenerate}");
        }
    }

    [Fact]
    public void BuiltInHarnessProfile_CallsOnlyPathsAndMethodsTheDocumentHas()
    {
        var document = JObject.Parse(File.ReadAllText(CheckedIn));
        var operations = ((JObject)document["paths"]!).Properties()
            .SelectMany(p => ((JObject)p.Value).Properties().Select(m => (Method: m.Name.ToUpperInvariant(), Path: p.Name)))
            .ToList();
        var profile = JToken.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "harness", "TeenMode.Harness", "Profiles", "teenmode-sdk.json")));
        var calls = profile.SelectTokens("$..*").OfType<JObject>()
            .Where(o => o["method"]?.Type == JTokenType.String && o["path"]?.Type == JTokenType.String)
            .Select(o => (Method: (string)o["method"]!, Path: ((string)o["path"]!).Split('?')[0]))
            .Where(c => c.Path.StartsWith("/teenmode/v1/", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        calls.Should().NotBeEmpty();
        calls.Where(c => !operations.Any(o => o.Method == c.Method && Matches(o.Path, c.Path)))
            .Select(c => $"{c.Method} {c.Path}")
            .Should().BeEmpty("every /teenmode/v1 call of the built-in profile is an operation of docs/openapi.json");
    }

    // {name} in the document matches one segment; ${name} in the profile is such a segment.
    private static bool Matches(string documentPath, string profilePath)
    {
        var pattern = "^" + string.Join("/", documentPath.Split('/').Select(s => ParameterSegment().IsMatch(s) ? "[^/]+" : Regex.Escape(s))) + "$";
        return Regex.IsMatch(TemplateSegment().Replace(profilePath, "x"), pattern);
    }

    // Indented, with Chinese left readable, one newline at the end: a stable text to diff.
    private static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .ReplaceLineEndings("\n") + "\n";

    [GeneratedRegex(@"^\{[^}]+\}$")]
    private static partial Regex ParameterSegment();

    [GeneratedRegex(@"\$\{[^}]+\}")]
    private static partial Regex TemplateSegment();
}
