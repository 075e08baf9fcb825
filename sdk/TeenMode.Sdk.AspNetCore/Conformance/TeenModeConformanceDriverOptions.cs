namespace TeenMode.AspNetCore.Conformance;

/// <summary>
/// Settings of the conformance driver: the endpoints the harness uses to create synthetic subjects
/// and move a virtual clock. Never for production: the driver refuses to start there.
/// </summary>
public sealed class TeenModeConformanceDriverOptions
{
    /// <summary>Must be set to true explicitly; the driver refuses to start otherwise.</summary>
    public bool Enabled { get; set; }

    /// <summary>The secret the harness sends in <c>X-TeenMode-Conformance-Key</c>; at least 32 bytes (UTF-8), not blank. Compared in constant time.</summary>
    public string? SharedSecret { get; set; }

    /// <summary>
    /// The host environments the driver may start in (exact names, trimmed, case-insensitive). Default Development,
    /// Testing and Conformance; Production is refused even when listed.
    /// </summary>
    public IList<string> AllowedEnvironments { get; } = ["Development", "Testing", "Conformance"];

    /// <summary>The route prefix. Default <c>/teenmode/conformance/v1</c>.</summary>
    public string Prefix { get; set; } = "/teenmode/conformance/v1";
}
