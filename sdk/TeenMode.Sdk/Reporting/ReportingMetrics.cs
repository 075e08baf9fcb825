using System.Diagnostics.Metrics;
using TeenMode.Rules;

namespace TeenMode.Reporting;

/// <summary>
/// Reporting metrics on the meter <c>TeenMode.Reporting</c>: reports filed by category, transitions by category and
/// status, time to triage and to close, overdue reports, authority-notice deliveries. Tags carry codes, never personal data.
/// </summary>
public sealed class ReportingMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "TeenMode.Reporting";

    private readonly Meter? _ownedMeter;
    private readonly Counter<long> _filed;
    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _timeToTriage;
    private readonly Histogram<double> _timeToClose;
    private readonly Counter<long> _notices;
    private long _overdue;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on an own meter when null.</summary>
    public ReportingMetrics(IMeterFactory? meterFactory = null)
    {
        Meter meter;
        if (meterFactory is null)
        {
            _ownedMeter = new Meter(MeterName);
            meter = _ownedMeter;
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        Meter = meter;
        _filed = meter.CreateCounter<long>("teenmode.reporting.reports_filed", "{report}", "Reports filed, by category.");
        _transitions = meter.CreateCounter<long>("teenmode.reporting.transitions", "{transition}", "Workflow transitions, by category and new status.");
        _timeToTriage = meter.CreateHistogram<double>("teenmode.reporting.time_to_triage", "s", "Time from receipt to triage.");
        _timeToClose = meter.CreateHistogram<double>("teenmode.reporting.time_to_close", "s", "Time from receipt to closing.");
        _notices = meter.CreateCounter<long>("teenmode.reporting.authority_notices", "{attempt}", "Authority-notice delivery rounds, by outcome.");
        meter.CreateObservableGauge("teenmode.reporting.overdue", () => Interlocked.Read(ref _overdue), "{report}", "Open reports past a deadline, as last counted.");
    }

    /// <summary>The meter the instruments live on.</summary>
    internal Meter Meter { get; }

    /// <summary>The overdue count last reported.</summary>
    public long Overdue => Interlocked.Read(ref _overdue);

    internal void Filed(ReportCategory category) => _filed.Add(1, Tag("category", category));

    internal void Transitioned(ReportCategory category, ReportStatus to) =>
        _transitions.Add(1, Tag("category", category), new KeyValuePair<string, object?>("status", Wire(to)));

    internal void Triaged(ReportCategory category, TimeSpan elapsed) => _timeToTriage.Record(elapsed.TotalSeconds, Tag("category", category));

    internal void Closed(ReportCategory category, TimeSpan elapsed) => _timeToClose.Record(elapsed.TotalSeconds, Tag("category", category));

    internal void NoticeRound(bool delivered) => _notices.Add(1, new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed"));

    internal void SetOverdue(long count) => Interlocked.Exchange(ref _overdue, count);

    /// <inheritdoc />
    public void Dispose() => _ownedMeter?.Dispose();

    private static KeyValuePair<string, object?> Tag(string name, ReportCategory category) => new(name, ReportingRules.WireName(category));

    private static string Wire(ReportStatus status) => status.ToString().ToLowerInvariant();
}
