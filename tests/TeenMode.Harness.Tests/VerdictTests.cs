using TeenMode.Harness.Running;

namespace TeenMode.Harness.Tests;

public class VerdictTests
{
    [Theory]
    [InlineData(new[] { CaseVerdict.Passed, CaseVerdict.Passed }, RunVerdict.Conformant)]
    [InlineData(new[] { CaseVerdict.Passed, CaseVerdict.Failed, CaseVerdict.Error, CaseVerdict.Skipped }, RunVerdict.NonConformant)]
    [InlineData(new[] { CaseVerdict.Passed, CaseVerdict.Error }, RunVerdict.Incomplete)]
    [InlineData(new[] { CaseVerdict.Passed, CaseVerdict.Skipped }, RunVerdict.Incomplete)]
    [InlineData(new CaseVerdict[0], RunVerdict.Incomplete)]
    public void Aggregate_FollowsTheRules(CaseVerdict[] cases, RunVerdict expected)
    {
        Verdicts.Aggregate(cases).Should().Be(expected);
    }

    [Fact]
    public void ExitCodes_MapFromTheRunVerdict()
    {
        RunVerdict.Conformant.ExitCode().Should().Be(0);
        RunVerdict.NonConformant.ExitCode().Should().Be(1);
        RunVerdict.Incomplete.ExitCode().Should().Be(3);
        ExitCodes.UsageError.Should().Be(2);
    }

    [Fact]
    public void Worst_PrefersFailedThenErrorThenSkipped()
    {
        Verdicts.Worst([CaseVerdict.Passed, CaseVerdict.Error, CaseVerdict.Failed]).Should().Be(CaseVerdict.Failed);
        Verdicts.Worst([CaseVerdict.Skipped, CaseVerdict.Error]).Should().Be(CaseVerdict.Error);
        Verdicts.Worst([CaseVerdict.Passed, CaseVerdict.Passed]).Should().Be(CaseVerdict.Passed);
    }
}
