namespace ShortVideoApp;

/// <summary>How to start the sample app.</summary>
public sealed class ShortVideoAppOptions
{
    /// <summary>The SQLite database file; created when missing. Used when <see cref="Store"/> is SQLite and no <see cref="ConnectionString"/> is given.</summary>
    public string DatabasePath { get; set; } = "shortvideo.db";

    /// <summary>Which store keeps the state: <see cref="SampleStores.Sqlite"/> (default) or <see cref="SampleStores.Postgres"/>.</summary>
    public string Store { get; set; } = SampleStores.Sqlite;

    /// <summary>
    /// The store's connection string. SQLite: <c>Data Source=FILE</c> (null: <see cref="DatabasePath"/>). PostgreSQL: an Npgsql
    /// connection string (required). Every instance that shares state points at the same database.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where to listen. Default: loopback on a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>A rule pack file to use instead of the SDK's built-in pack (null: built-in).</summary>
    public string? RulePackPath { get; set; }

    /// <summary>A deliberately broken variant to start instead of the compliant app (see <see cref="Mutants"/>). For proving the harness only.</summary>
    public string? Mutant { get; set; }

    /// <summary>
    /// When set, the conformance driver is mapped and this is its shared secret; it also signs the harness in (header
    /// <c>X-TeenMode-Conformance-Key</c>) for content admin and the incident flow. At least 32 bytes (UTF-8), not blank.
    /// </summary>
    public string? ConformanceKey { get; set; }

    /// <summary>A last say over the host builder, e.g. <c>b => b.WebHost.UseTestServer()</c> for in-process tests.</summary>
    public Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? ConfigureBuilder { get; set; }

    /// <summary>
    /// The hosting environment, Production unless told otherwise (no developer exception page). The conformance
    /// driver starts only in Development, Testing or Conformance.
    /// </summary>
    public string EnvironmentName { get; set; } = "Production";

    /// <summary>Where authority notices (escalated reports) are POSTed; null: the conformance recording sink when the driver is on, otherwise they stay queued.</summary>
    public Uri? AuthoritySinkUrl { get; set; }

    /// <summary>
    /// The shared secret the real-name provider signs its result callbacks with (at least 32 bytes); null leaves
    /// <c>POST /teenmode/v1/real-name/callbacks</c> off.
    /// </summary>
    public string? RealNameCallbackSecret { get; set; }

    /// <summary>The HMAC-SHA256 secret of the authority webhook (at least 32 bytes, not blank).</summary>
    public string? AuthoritySinkSecret { get; set; }

    /// <summary>
    /// The longest a request waits for the store before it is answered 503 <c>store-unavailable</c> (the SDK's
    /// <c>TeenModeOptions.StoreTimeout</c>); null keeps the SDK's default (2 seconds).
    /// </summary>
    public TimeSpan? StoreTimeout { get; set; }

    /// <summary>Tunes the background delivery of authority notices (e.g. short backoffs in tests).</summary>
    public Action<TeenMode.Reporting.AuthorityDispatchOptions>? AuthorityDispatch { get; set; }

    /// <summary>
    /// The reviewers' key: a request with this key in <c>X-Reviewer-Key</c> signs in as a reviewer (report review, refunds,
    /// content admin, staff access to personal data). Unset: nobody can sign in as a reviewer (401).
    /// At least 32 bytes (UTF-8), not blank; the app refuses to start with an empty or shorter key.
    /// </summary>
    public string? ReviewerKey { get; set; }

    /// <summary>
    /// Where traces and metrics are exported over OTLP (e.g. <c>http://collector:4317</c>); null: not exported (the
    /// <c>TeenMode</c> source and meters are still wired, e.g. for an in-process listener). <c>Program</c> takes it from
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c> (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c>).</summary>
    public string? OtlpProtocol { get; set; }

    /// <summary>
    /// Serve the OpenAPI document of <c>/teenmode/v1</c> at <c>/openapi/v1.json</c> in Production too. Outside Production it
    /// is always served.
    /// </summary>
    public bool ExposeOpenApi { get; set; }

    /// <summary>The AES-256 key (base64) that seals sensitive personal data; null: a key file beside the database.</summary>
    public string? PersonalDataKey { get; set; }
}

/// <summary>The stores the sample can run on (<c>--store</c>).</summary>
public static class SampleStores
{
    /// <summary>One SQLite file: one instance, or several processes on one machine sharing the file.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL database shared by any number of instances.</summary>
    public const string Postgres = "postgres";
}
