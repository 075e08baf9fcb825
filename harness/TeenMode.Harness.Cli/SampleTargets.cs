using System.Security.Cryptography;
using ShortVideoApp;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary>Starts the sample app in-process on loopback, each time with a fresh SQLite file and a random conformance key.</summary>
public static class SampleTargets
{
    /// <summary>The sample app's mutants as self-test variants.</summary>
    public static IReadOnlyList<SelfTestMutant> Mutants { get; } =
        ShortVideoApp.Mutants.All.Select(m => new SelfTestMutant(m.Name, m.Description, m.TargetCheckIds)).ToList();

    /// <summary>Starts the compliant app (<paramref name="mutant"/> null) or a mutant, with the built-in rule pack or <paramref name="rulePackPath"/>.</summary>
    public static async Task<ISelfTestTarget> StartAsync(string? mutant, string? rulePackPath = null, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("teenmode-");
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        try
        {
            var app = await ShortVideoAppHost.StartAsync(new ShortVideoAppOptions
            {
                DatabasePath = Path.Combine(directory.FullName, "shortvideo.db"),
                Urls = "http://127.0.0.1:0",
                Mutant = mutant,
                RulePackPath = rulePackPath,
                ConformanceKey = key,
                EnvironmentName = "Development",
            }, cancellationToken);
            return new SampleTarget(app, directory, key);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    internal static void TryDelete(DirectoryInfo directory)
    {
        try
        {
            directory.Delete(recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp file is harmless; the OS cleans its temp folder.
        }
    }

    private sealed class SampleTarget(RunningApp app, DirectoryInfo directory, string key) : ISelfTestTarget
    {
        public Uri BaseAddress => app.BaseAddress;

        public string ConformanceKey => key;

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            TryDelete(directory);
        }
    }
}
