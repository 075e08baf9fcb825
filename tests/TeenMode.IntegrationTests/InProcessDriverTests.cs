using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ShortVideoApp;
using TeenMode.ContentPool;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using Xunit;

namespace TeenMode.IntegrationTests;

/// <summary>The <c>inproc</c> driver: the full suite against the sample app inside the test process, no port opened.</summary>
public sealed class InProcessDriverTests
{
    private const string Key = "inproc-conformance-key-0123456789";

    private static async Task<WebApplication> StartAsync(string directory, string? mutant = null)
    {
        var app = ShortVideoAppHost.Build(new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(directory, "app.db"),
            ConformanceKey = Key,
            Mutant = mutant,
            EnvironmentName = "Testing",
            ConfigureBuilder = b => b.WebHost.UseTestServer(),
        });
        await app.Services.GetRequiredService<IContentCatalog>().UpsertAsync(ContentSeed.LoadSample());
        await app.StartAsync();
        return app;
    }

    [Theory]
    [InlineData(null, "conformant")]
    [InlineData("curfew-in-utc", "non-conformant")]
    public async Task FullSuite_InProcess_GivesTheSameVerdictsAsOverHttp(string? mutant, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("teenmode-inproc-");
        try
        {
            var app = await StartAsync(dir.FullName, mutant);
            await using (app)
            {
                var driver = InProcessDriver.Create(app.GetTestServer().CreateHandler(), ProfileLoader.LoadBuiltin(),
                    new Dictionary<string, string> { ["conformanceKey"] = Key });

                var report = await ConformanceRunner.RunAsync(SuiteLoader.LoadEmbedded(), ProfileLoader.LoadBuiltin(), driver, "inproc");

                report.Verdict.Wire().Should().Be(expected, string.Join("\n", report.Cases.Select(c => $"{c.Id}: {c.Verdict} {c.Message}")));
                report.Cases.Should().OnlyContain(c => c.Verdict == CaseVerdict.Passed || c.Verdict == CaseVerdict.Failed);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }
}
