using System.Globalization;
using System.Text;
using System.Xml;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Reporting;

/// <summary>
/// JUnit XML in the Apache Ant shape CI servers read: one <c>testsuite</c> per function, one <c>testcase</c> per
/// check case. An <c>error</c> verdict is a JUnit error, never a failure, so a gate can tell them apart.
/// </summary>
public static class JUnitReport
{
    /// <summary>Renders the report as UTF-8 XML text.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), OmitXmlDeclaration = false };
        using var buffer = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartElement("testsuites");
            var index = 0;
            foreach (var group in report.Cases.GroupBy(c => c.Check.Function, StringComparer.Ordinal))
            {
                var cases = group.ToList();
                xml.WriteStartElement("testsuite");
                xml.WriteAttributeString("package", report.Suite.Id);
                xml.WriteAttributeString("id", (index++).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("name", $"{report.Suite.Id}.{group.Key}");
                xml.WriteAttributeString("timestamp", report.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
                xml.WriteAttributeString("hostname", Host(report.Target));
                xml.WriteAttributeString("tests", Count(cases.Count));
                xml.WriteAttributeString("failures", Count(cases.Count(c => c.Verdict == CaseVerdict.Failed)));
                xml.WriteAttributeString("errors", Count(cases.Count(c => c.Verdict == CaseVerdict.Error)));
                xml.WriteAttributeString("skipped", Count(cases.Count(c => c.Verdict is CaseVerdict.Skipped or CaseVerdict.NotApplicable)));
                xml.WriteAttributeString("time", Seconds(cases.Sum(c => c.DurationMs)));

                xml.WriteStartElement("properties");
                Property(xml, "suite.version", report.Suite.Version);
                Property(xml, "suite.sha256", report.Suite.Sha256);
                Property(xml, "profile", $"{report.ProfileId} {report.ProfileVersion}");
                Property(xml, "target", report.Target);
                Property(xml, "run.id", report.RunId);
                Property(xml, "run.verdict", report.Verdict.Wire());
                xml.WriteEndElement();

                foreach (var c in cases)
                {
                    xml.WriteStartElement("testcase");
                    xml.WriteAttributeString("name", $"{c.Id} — {c.Check.Title.En}");
                    xml.WriteAttributeString("classname", $"{report.Suite.Id}.{c.Check.Function}.{c.Check.Id}");
                    xml.WriteAttributeString("time", Seconds(c.DurationMs));
                    var detail = $"severity: {c.Check.Severity}\nrequirements: {string.Join(", ", c.Check.RequirementIds)}\n{c.Message}";
                    switch (c.Verdict)
                    {
                        case CaseVerdict.Failed:
                            xml.WriteStartElement("failure");
                            xml.WriteAttributeString("message", c.Message);
                            xml.WriteAttributeString("type", c.Check.Severity);
                            xml.WriteString(detail);
                            xml.WriteEndElement();
                            break;
                        case CaseVerdict.Error:
                            xml.WriteStartElement("error");
                            xml.WriteAttributeString("message", c.Message);
                            xml.WriteAttributeString("type", "error");
                            xml.WriteString(detail);
                            xml.WriteEndElement();
                            break;
                        case CaseVerdict.Skipped or CaseVerdict.NotApplicable:
                            xml.WriteStartElement("skipped");
                            xml.WriteAttributeString("message", c.Message);
                            xml.WriteEndElement();
                            break;
                        default:
                            break;
                    }

                    xml.WriteEndElement();
                }

                xml.WriteElementString("system-out", "");
                xml.WriteElementString("system-err", "");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return buffer.ToString();
    }

    private static void Property(XmlWriter xml, string name, string value)
    {
        xml.WriteStartElement("property");
        xml.WriteAttributeString("name", name);
        xml.WriteAttributeString("value", value);
        xml.WriteEndElement();
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(long ms) => (ms / 1000m).ToString("0.000", CultureInfo.InvariantCulture);

    private static string Host(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : "localhost";

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
