using System.Security.Cryptography;
using ShortVideoApp;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary>Starts the sample app in-process on loopback with a random conformance key, on a fresh SQLite file unless told otherwise.</summary>
public static class SampleTargets
{
    /// <summary>The sample app's mutants as self-test variants.</summary>
    public static IReadOnlyList<SelfTestMutant> Mutants { get; } =
        ShortVideoApp.Mutants.All.Select(m => new SelfTestMutant(m.Name, m.Description, m.TargetCheckIds)).ToList();

    /// <summary>Starts the compliant app (<paramref name="mutant"/> null) or a mutant, with the built-in rule pack or <paramref name="rulePackPath"/>.</summary>
    public static Task<ISelfTestTarget> StartAsync(string? mutant, string? rulePackPath = null, CancellationToken cancellationToken = default) =>
        StartAsync(mutant, SampleStore.FreshSqlite, rulePackPath, cancellationToken);

    /// <summary>Starts the compliant app on <paramref name="store"/> (a fresh SQLite file, or the given database).</summary>
    /// <exception cref="ArgumentException">A bad store name or connection string.</exception>
    /// <exception cref="StoreUnreachableException">The store cannot be reached; the message carries no password.</exception>
    public static Task<ISelfTestTarget> StartAsync(SampleStore store, string? rulePackPath = null, CancellationToken cancellationToken = default) =>
        StartAsync(null, store, rulePackPath, cancellationToken);

    private static async Task<ISelfTestTarget> StartAsync(string? mutant, SampleStore store, string? rulePackPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var directory = Directory.CreateTempSubdirectory("teenmode-");
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        try
        {
            var app = await ShortVideoAppHost.StartAsync(new ShortVideoAppOptions
            {
                DatabasePath = Path.Combine(directory.FullName, "shortvideo.db"),
                Store = store.Name,
                ConnectionString = store.Connection,

                // A demo's sealing key lives for one run; PostgreSQL needs one given, as no key file sits beside a database file.
                PersonalDataKey = store.Name == SampleStores.Postgres ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null,
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

/// <summary>The store a sample target runs on: <see cref="SampleStores"/> name and connection string (null: a fresh SQLite file).</summary>
public sealed record SampleStore(string Name, string? Connection)
{
    /// <summary>A fresh SQLite file in a temp folder, removed afterwards.</summary>
    public static SampleStore FreshSqlite { get; } = new(SampleStores.Sqlite, null);
}
