using System.Reflection;
using PublicApiGenerator;
using TeenMode.AspNetCore;
using TeenMode.Testing;

namespace TeenMode.Tests.PublicApi;

/// <summary>
/// Each shipped package's public API is checked in next to this file (<c>PublicApi/&lt;assembly&gt;.txt</c>), so a breaking
/// change shows up as a diff in review instead of in an integrator's build.
/// </summary>
public sealed class PublicApiTests
{
    /// <summary>Set to 1 to write the files instead of comparing them (see <see cref="Regenerate"/>).</summary>
    public const string UpdateVariable = "TEENMODE_UPDATE_PUBLIC_API";

    private const string Regenerate =
        "TEENMODE_UPDATE_PUBLIC_API=1 dotnet test tests/TeenMode.Sdk.Tests --filter FullyQualifiedName~PublicApiTests";

    // One anchor type per package; the packages ship together with one version.
    private static readonly Dictionary<string, Assembly> Packages = new[]
    {
        typeof(TeenModeOptions).Assembly,
        typeof(SqliteTeenModeBuilderExtensions).Assembly,
        typeof(PostgresTeenModeBuilderExtensions).Assembly,
        typeof(TeenModeEndpointRouteBuilderExtensions).Assembly,
        typeof(StoreContractTests).Assembly,
    }.ToDictionary(a => a.GetName().Name!);

    public static TheoryData<string> PackageNames => new(Packages.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PackageNames))]
    public void PublicApi_MatchesTheCheckedInBaseline(string package)
    {
        var generated = Generate(Packages[package]);
        var file = Path.Combine(BaselineDirectory, package + ".txt");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(file, generated);
            return;
        }

        File.Exists(file).Should().BeTrue($"{RelativeToRepo(file)} is checked in; create it with: {Regenerate}");
        var expected = File.ReadAllText(file).ReplaceLineEndings("\n");
        if (expected != generated)
        {
            Assert.Fail($"The public API of {package} differs from {RelativeToRepo(file)}:\n{Diff(expected, generated)}\n"
                + "A removed or changed line breaks integrators; if the change is intended, accept it and commit the file: "
                + Regenerate);
        }
    }

    private static string Generate(Assembly assembly)
    {
        var options = new ApiGeneratorOptions
        {
            // Assembly attributes carry the version and the source commit: noise that changes with every build.
            IncludeAssemblyAttributes = false,
            ExcludeAttributes =
            [
                "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
                "System.Diagnostics.DebuggerNonUserCodeAttribute",
                "System.Diagnostics.DebuggerStepThroughAttribute",
                "System.CodeDom.Compiler.GeneratedCodeAttribute",
            ],
        };
        return assembly.GeneratePublicApi(options).ReplaceLineEndings("\n").TrimEnd('\n') + "\n";
    }

    // Lines only on one side, in order, with a few lines of context: enough to see what moved without a diff tool.
    private static string Diff(string expected, string generated)
    {
        var want = expected.Split('\n');
        var got = generated.Split('\n');
        var removed = want.Except(got, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var added = got.Except(want, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var lines = want.Where(removed.Contains).Select(l => "- " + l)
            .Concat(got.Where(added.Contains).Select(l => "+ " + l))
            .ToList();
        if (lines.Count == 0)
        {
            lines.Add("(same lines, different order or count)");
        }

        const int Shown = 60;
        return string.Join('\n', lines.Take(Shown)) + (lines.Count > Shown ? $"\n... and {lines.Count - Shown} more lines" : "");
    }

    private static string BaselineDirectory => Path.Combine(RepoRoot, "tests", "TeenMode.Sdk.Tests", "PublicApi");

    private static string RelativeToRepo(string path) => Path.GetRelativePath(RepoRoot, path).Replace('\\', '/');

    // The checked-in files live in the source tree, not in bin (which TEENMODE_ARTIFACTS may put outside the repo).
    private static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var projectDirectory = typeof(PublicApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "SourceRoot")?.Value;
        foreach (var start in new[] { projectDirectory, AppContext.BaseDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TeenMode.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No TeenMode.sln above {projectDirectory} or {AppContext.BaseDirectory}.");
    }
}
