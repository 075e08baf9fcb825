using System.Reflection;

namespace TeenMode.Tests.Core;

public sealed class ConventionTests
{
    private static readonly string[] Forbidden = ["DateTime.Now", "DateTime.UtcNow", "DateTimeOffset.Now", "DateTimeOffset.UtcNow"];

    [Fact]
    public void SdkSources_ReadTheClock_OnlyThroughTimeProvider()
    {
        var sdk = Path.Combine(FindRepoRoot(), "sdk");
        var sources = Directory.EnumerateFiles(sdk, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();

        var offenders = sources
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, number: index + 1)))
            .Where(x => Forbidden.Any(f => x.line.Contains(f, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(sdk, x.file)}:{x.number}: {x.line.Trim()}")
            .ToList();

        sources.Should().Contain(f => f.EndsWith("UsageGate.cs", StringComparison.Ordinal), "the scan must see the SDK sources");
        offenders.Should().BeEmpty("sdk/ code reads time only via TimeProvider");
    }

    /// <summary>Walks up from the test binaries, then from the project folder (bin/obj may live outside the repo).</summary>
    private static string FindRepoRoot()
    {
        var projectDirectory = typeof(ConventionTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "SourceRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, projectDirectory })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TeenMode.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"No TeenMode.sln above {AppContext.BaseDirectory} or {projectDirectory}.");
    }
}
