using FluentAssertions;
using Spectre.Console.Testing;
using TeenMode.Harness.Cli;
using TeenMode.Harness.Running;
using TeenMode.Harness.Suites;
using Xunit;

namespace TeenMode.Harness.Tests;

/// <summary>What the CLI prints: a live bar and tables on a terminal, plain counted lines in a log.</summary>
public sealed class ConsoleUiTests
{
    private static readonly Check AnyCheck = SuiteLoader.LoadEmbedded().Checks[0];

    private static CaseResult Result(string id, CaseVerdict verdict) =>
        new(id, AnyCheck, null, verdict, verdict == CaseVerdict.Passed ? "" : "expected 403, got 200", 5, []);

    private static async Task RunThreeCases(Ui ui) =>
        await ui.ProgressAsync("检查 / checks", 3, () =>
        {
            ui.Case(Result("AA-CURFEW", CaseVerdict.Passed));
            ui.Case(Result("AA-BUDGET", CaseVerdict.Failed));
            ui.Case(Result("RP-INTAKE", CaseVerdict.Passed));
            return Task.FromResult(0);
        });

    [Fact]
    public async Task Redirected_output_is_plain_counted_lines_without_escape_sequences()
    {
        var stdout = new StringWriter();
        var ui = new Ui(stdout, new StringWriter(), console: null);

        await RunThreeCases(ui);
        ui.Verdict(false, "结论 / verdict: non-conformant");

        var text = stdout.ToString();
        text.Should().NotContain("\u001b", "a CI log or a pipe gets no colour or cursor codes");
        text.Should().Contain("[1/3] PASS  AA-CURFEW").And.Contain("[2/3] FAIL  AA-BUDGET")
            .And.Contain("expected 403, got 200").And.Contain("[3/3] PASS  RP-INTAKE");
    }

    [Fact]
    public async Task A_terminal_gets_the_case_lines_through_the_live_console_and_tables()
    {
        var stdout = new StringWriter();
        var console = new TestConsole().Interactive();
        var ui = new Ui(stdout, new StringWriter(), console);

        await RunThreeCases(ui);
        ui.Matrix(new SelfTestResult(
            ["compliant", "curfew-off"],
            [new SelfTestRow("AA-CURFEW", [CaseVerdict.Passed, CaseVerdict.Failed])],
            new Dictionary<string, RunReport>(), [], []));

        stdout.ToString().Should().BeEmpty("on a terminal everything goes through the live console");
        var screen = console.Output;
        screen.Should().Contain("PASS").And.Contain("AA-BUDGET").And.Contain("expected 403, got 200");
        screen.Should().Contain("curfew-off").And.Contain("╭", "the detection matrix is drawn as a table");
    }
}
