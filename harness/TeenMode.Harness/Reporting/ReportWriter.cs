using System.Text;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>Where the reports of one run were written.</summary>
public sealed record ReportFiles(string Directory, string Json, string Html);

/// <summary>Writes <c>report.json</c> and <c>report.html</c>.</summary>
public static class ReportWriter
{
    /// <summary>Writes both reports into <paramref name="directory"/> (created when missing).</summary>
    public static async Task<ReportFiles> WriteAsync(RunReport report, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(directory);
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var json = Path.Combine(full, "report.json");
        var html = Path.Combine(full, "report.html");
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        await File.WriteAllTextAsync(json, ReportJson.Serialize(report), utf8, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(html, HtmlReport.Render(report), utf8, cancellationToken).ConfigureAwait(false);
        return new ReportFiles(full, json, html);
    }
}
