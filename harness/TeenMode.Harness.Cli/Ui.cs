using System.Globalization;
using Spectre.Console;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary>
/// Console output. On an interactive terminal a Spectre.Console live progress bar and tables; in CI, when
/// redirected or when the caller passes its own writers, plain lines with a <c>[done/total]</c> counter that
/// read the same in a log.
/// </summary>
internal sealed class Ui
{
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly IAnsiConsole? _console;
    private readonly Lock _gate = new();
    private ProgressTask? _progress;
    private int _total;
    private int _done;

    public Ui(TextWriter stdout, TextWriter stderr)
        : this(stdout, stderr, IsInteractive(stdout) ? AnsiConsole.Console : null)
    {
    }

    /// <param name="console">The interactive console, or null for plain lines.</param>
    internal Ui(TextWriter stdout, TextWriter stderr, IAnsiConsole? console)
    {
        _stdout = stdout;
        _stderr = stderr;
        _console = console;
    }

    /// <summary>True when output goes to a live terminal (progress bar, tables, colour).</summary>
    public bool Interactive => _console is not null;

    // CI logs and pipes get plain lines: a redrawn progress bar would fill them with escape sequences.
    private static bool IsInteractive(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("CI") is null
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    public void Out(string line)
    {
        lock (_gate)
        {
            if (_console is null)
            {
                _stdout.WriteLine(line);
            }
            else
            {
                _console.WriteLine(line);
            }
        }
    }

    public void Error(string line) => _stderr.WriteLine(line);

    /// <summary>Prints each located problem as <c>file:line:column: message</c>, never a stack trace.</summary>
    public void ConfigErrors(TeenModeConfigurationException ex)
    {
        if (ex.Errors.Count == 0)
        {
            _stderr.WriteLine(ex.Message);
            return;
        }

        foreach (var error in ex.Errors)
        {
            _stderr.WriteLine(error.ToString());
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> under a progress display of <paramref name="total"/> steps: a live bar on a
    /// terminal, the counter in front of each plain line otherwise.
    /// </summary>
    public async Task<T> ProgressAsync<T>(string title, int total, Func<Task<T>> body)
    {
        _total = total;
        _done = 0;
        if (_console is null)
        {
            return await body();
        }

        return await _console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _progress = context.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                try
                {
                    return await body();
                }
                finally
                {
                    _progress.Value = _progress.MaxValue;
                    _progress = null;
                }
            });
    }

    /// <summary>One finished case: a line above the bar (or a counted plain line), and the bar moves on.</summary>
    public void Case(CaseResult result)
    {
        lock (_gate)
        {
            _done++;
            var (mark, color) = result.Verdict switch
            {
                CaseVerdict.Passed => ("PASS ", "green"),
                CaseVerdict.Failed => ("FAIL ", "red"),
                CaseVerdict.Error => ("ERROR", "yellow"),
                CaseVerdict.NotApplicable => ("N/A  ", "grey"),
                _ => ("SKIP ", "grey"),
            };
            if (_console is null)
            {
                var counter = _total > 0 ? $"[{Count(_done).PadLeft(Count(_total).Length)}/{Count(_total)}] " : "";
                _stdout.WriteLine($"  {counter}{mark} {result.Id}");
                if (result.Verdict != CaseVerdict.Passed)
                {
                    _stdout.WriteLine($"        {result.Message}");
                }

                return;
            }

            _console.MarkupLine($"  [{color}]{mark}[/] {Markup.Escape(result.Id)}");
            if (result.Verdict != CaseVerdict.Passed)
            {
                _console.MarkupLine($"        [grey]{Markup.Escape(result.Message)}[/]");
            }

            _progress?.Increment(1);
        }
    }

    /// <summary>A step of a longer job starts (a self-test variant): a line, and the bar shows the steps done.</summary>
    public void Step(string line)
    {
        lock (_gate)
        {
            if (_console is null)
            {
                _stdout.WriteLine(line);
                return;
            }

            _console.WriteLine(line);
            if (_progress is not null)
            {
                _progress.Value = _done++;
                _progress.Description = Markup.Escape(line);
            }
        }
    }

    /// <summary>The self-test's detection matrix: a table with coloured verdicts, or aligned plain text.</summary>
    public void Matrix(SelfTestResult result)
    {
        if (_console is null)
        {
            _stdout.Write(result.FormatMatrix());
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("check");
        foreach (var column in result.Columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)).Centered());
        }

        foreach (var row in result.Rows)
        {
            var cells = new List<string> { Markup.Escape(row.CheckId) };
            cells.AddRange(row.Verdicts.Select(v => v switch
            {
                CaseVerdict.Passed => "[green]passed[/]",
                CaseVerdict.Failed => "[red]failed[/]",
                CaseVerdict.Error => "[yellow]error[/]",
                _ => $"[grey]{Markup.Escape(v.Wire())}[/]",
            }));
            table.AddRow(cells.ToArray());
        }

        _console.Write(table);
    }

    /// <summary>The run's counts per verdict: a table, or one plain line.</summary>
    public void Summary(IReadOnlyDictionary<CaseVerdict, int> counts)
    {
        if (_console is null)
        {
            _stdout.WriteLine($"通过 / passed {counts[CaseVerdict.Passed]} · 不通过 / failed {counts[CaseVerdict.Failed]} · 错误 / error {counts[CaseVerdict.Error]} · 跳过 / skipped {counts[CaseVerdict.Skipped]} · 不适用 / n/a {counts[CaseVerdict.NotApplicable]}");
            return;
        }

        // One row per verdict: fits a narrow terminal, where five columns would wrap their headers.
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("结论 / verdict")
            .AddColumn(new TableColumn("用例 / cases").RightAligned())
            .AddRow("通过 / passed", $"[green]{Count(counts[CaseVerdict.Passed])}[/]")
            .AddRow("不通过 / failed", $"[red]{Count(counts[CaseVerdict.Failed])}[/]")
            .AddRow("错误 / error", $"[yellow]{Count(counts[CaseVerdict.Error])}[/]")
            .AddRow("跳过 / skipped", Count(counts[CaseVerdict.Skipped]))
            .AddRow("不适用 / n/a", Count(counts[CaseVerdict.NotApplicable]));
        _console.Write(table);
    }

    public void Verdict(bool good, string line)
    {
        if (_console is null)
        {
            _stdout.WriteLine(line);
            return;
        }

        _console.MarkupLine($"[bold {(good ? "green" : "red")}]{Markup.Escape(line)}[/]");
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
