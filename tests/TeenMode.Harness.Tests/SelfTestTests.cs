using TeenMode.Harness.Cli;
using TeenMode.Harness.Profiling;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;

namespace TeenMode.Harness.Tests;

public class SelfTestTests
{
    [Fact]
    public async Task EveryCheck_PassesOnTheCompliantSample_AndFailsOnItsMutant()
    {
        var result = await SelfTest.RunAsync(SuiteLoader.LoadEmbedded(), ProfileLoader.LoadBuiltin(), SampleTargets.Mutants, (mutant, ct) => SampleTargets.StartAsync(mutant, null, ct));

        result.Problems.Should().BeEmpty(result.FormatMatrix());
        result.Warnings.Should().BeEmpty(result.FormatMatrix());
        result.Succeeded.Should().BeTrue();
        result.Columns[0].Should().Be(SelfTestResult.Compliant);
        result.Rows.Select(r => r.CheckId).Should().Equal(SuiteLoader.LoadEmbedded().Checks.Select(c => c.Id));
        result.FormatMatrix().Should().StartWith("check").And.Contain("AA-CURFEW-BOUNDARY");
    }
}
