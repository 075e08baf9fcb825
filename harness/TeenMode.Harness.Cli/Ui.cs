using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary>Console output: colour only for an interactive terminal, plain text otherwise (CI logs, pipes).</summary>
internal sealed class Ui(TextWriter stdout, TextWriter stderr)
{
    private readonly bool _color = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("CI") is null;

    public void Out(string line) => stdout.WriteLine(line);

    public void Error(string line) => stderr.WriteLine(line);

    /// <summary>Prints each located problem as <c>file:line:column: message</c>, never a stack trace.</summary>
    public void ConfigErrors(TeenModeConfigurationException ex)
    {
        if (ex.Errors.Count == 0)
        {
            stderr.WriteLine(ex.Message);
            return;
        }

        foreach (var error in ex.Errors)
        {
            stderr.WriteLine(error.ToString());
        }
    }

    /// <summary>How many cases the current run has, for the progress counter (0: no counter).</summary>
    public int Total { get; set; }

    private int _done;

    public void Case(CaseResult result)
    {
        _done++;
        var (mark, color) = result.Verdict switch
        {
            CaseVerdict.Passed => ("PASS ", "32"),
            CaseVerdict.Failed => ("FAIL ", "31"),
            CaseVerdict.Error => ("ERROR", "33"),
            CaseVerdict.NotApplicable => ("N/A  ", "90"),
            _ => ("SKIP ", "90"),
        };
        var counter = Total > 0 ? $"[{_done.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(Total.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)}/{Total}] " : "";
        stdout.WriteLine($"  {counter}{Paint(mark, color)} {result.Id}");
        if (result.Verdict != CaseVerdict.Passed)
        {
            stdout.WriteLine($"        {result.Message}");
        }
    }

    public void Verdict(bool good, string line) => stdout.WriteLine(Paint(line, good ? "1;32" : "1;31"));

    private string Paint(string text, string code) => _color ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
