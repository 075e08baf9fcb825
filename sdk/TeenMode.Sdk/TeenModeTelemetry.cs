using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TeenMode;

/// <summary>
/// The SDK's traces and gate metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="SourceName"/>. Spans and measurements carry the gate, outcome, reason code and rule pack id — never a
/// subject id or other personal data. With nobody listening no span is created and no tag is built.
/// </summary>
public static class TeenModeTelemetry
{
    /// <summary>The name of the activity source (spans of gates, store commits and the authority dispatcher).</summary>
    public const string SourceName = "TeenMode";

    /// <summary>The name of the meter of gate decisions (reporting metrics are on <c>TeenMode.Reporting</c>).</summary>
    public const string MeterName = "TeenMode";

    /// <summary>Tag: the decision's outcome, <c>allow</c>, <c>allow-with-notice</c> or <c>deny</c>.</summary>
    public const string OutcomeTag = "teenmode.outcome";

    /// <summary>Tag: the decision's stable reason code (e.g. <c>daily-limit-reached</c>).</summary>
    public const string ReasonCodeTag = "teenmode.reason_code";

    /// <summary>Tag: the id of the rule pack that decided.</summary>
    public const string RulePackTag = "teenmode.rule_pack";

    /// <summary>Tag: which gate decided (the span name without the <c>teenmode.</c> prefix).</summary>
    public const string GateTag = "teenmode.gate";

    /// <summary>Tag: the store implementation of a store span (a type name such as <c>SqliteUsageLedgerStore</c>).</summary>
    public const string StoreTag = "teenmode.store";

    private static readonly string? Version = typeof(TeenModeTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(SourceName, Version);

    private static readonly Meter GateMeter = new(MeterName, Version);

    private static readonly Counter<long> Decisions = GateMeter.CreateCounter<long>(
        "teenmode.gate.decisions", "{decision}", "Gate decisions, by gate, outcome and reason code.");

    /// <summary>Whether anybody listens: callers skip the wrapping (and its allocations) otherwise.</summary>
    internal static bool Enabled => Source.HasListeners() || Decisions.Enabled;

    /// <summary>
    /// Runs a gate (<paramref name="gate"/> such as <c>usage.heartbeat</c>) in a span <c>teenmode.{gate}</c> tagged with the
    /// rule pack, outcome and reason code, and counts its decision. With no listener it only calls <paramref name="run"/>.
    /// </summary>
    internal static Task<T> GateAsync<T>(string gate, string rulePackId, Func<T, Decision> decisionOf, Func<Task<T>> run)
    {
        return Enabled ? TracedAsync() : run();

        async Task<T> TracedAsync()
        {
            using var activity = Source.StartActivity("teenmode." + gate, ActivityKind.Internal);
            activity?.SetTag(GateTag, gate);
            activity?.SetTag(RulePackTag, rulePackId);
            try
            {
                var result = await run().ConfigureAwait(false);
                var decision = decisionOf(result);
                var outcome = Wire(decision.Outcome);
                activity?.SetTag(OutcomeTag, outcome);
                activity?.SetTag(ReasonCodeTag, decision.Reason.Value);
                if (Decisions.Enabled)
                {
                    Decisions.Add(1, new KeyValuePair<string, object?>(GateTag, gate), new KeyValuePair<string, object?>(OutcomeTag, outcome),
                        new KeyValuePair<string, object?>(ReasonCodeTag, decision.Reason.Value), new KeyValuePair<string, object?>(RulePackTag, rulePackId));
                }

                return result;
            }
            catch (Exception ex)
            {
                // The type only: a message may quote an id or a value.
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                throw;
            }
        }
    }

    /// <summary>A gate returning a bare decision.</summary>
    internal static Task<Decision> GateAsync(string gate, string rulePackId, Func<Task<Decision>> run) =>
        GateAsync(gate, rulePackId, static d => d, run);

    /// <summary>
    /// A span <c>teenmode.store.{operation}</c> around a store call that commits a decision (null when nobody listens);
    /// it becomes a child of the gate's span.
    /// </summary>
    internal static Activity? StartStore(string operation, object store)
    {
        var activity = Source.StartActivity("teenmode.store." + operation, ActivityKind.Internal);
        activity?.SetTag(StoreTag, store.GetType().Name);
        return activity;
    }

    /// <summary>A span for other SDK work (e.g. <c>teenmode.authority.dispatch</c>); null when nobody listens.</summary>
    internal static Activity? Start(string name) => Source.StartActivity(name, ActivityKind.Internal);

    internal static string Wire(Outcome outcome) => outcome switch
    {
        Outcome.Allow => "allow",
        Outcome.AllowWithNotice => "allow-with-notice",
        _ => "deny",
    };
}
