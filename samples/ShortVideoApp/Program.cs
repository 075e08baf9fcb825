using ShortVideoApp;

// Usage: ShortVideoApp [--store sqlite|postgres] [--connection CONNECTION] [--db FILE] [--urls URL] [--rules FILE] [--mutant NAME] [--authority-sink URL] [--store-timeout SECONDS]
// --store sqlite (default) keeps state in --db FILE or --connection "Data Source=FILE"; several processes may share the file.
// --store postgres keeps it in the database of --connection (an Npgsql connection string); any number of instances may share it,
// and TEENMODE_PI_KEY must then be set, the same on every instance.
// Authority webhook secret: TEENMODE_AUTHORITY_SECRET; reviewers' key (sent as X-Reviewer-Key): TEENMODE_REVIEWER_KEY.
// Real-name provider callbacks (POST /teenmode/v1/real-name/callbacks) are accepted only when TEENMODE_REAL_NAME_CALLBACK_SECRET is set.
// Every key and secret must be at least 32 bytes and not blank, or the app refuses to start.
// Personal-data sealing key (base64, 32 bytes): TEENMODE_PI_KEY; without it a key file is kept beside the SQLite database.
// The conformance driver is mapped only when TEENMODE_CONFORMANCE_KEY is set (never in Production).
// --outbox-poll SECONDS and --outbox-backoff SECONDS tune authority-notice delivery (defaults 10 and 30).
// --store-timeout SECONDS: how long a request waits for the store before it is answered 503 store-unavailable (default 2, at most 60).
// Traces and metrics (OpenTelemetry: the TeenMode source and meters, ASP.NET Core) go to OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT
// is set (OTEL_EXPORTER_OTLP_PROTOCOL grpc or http/protobuf). Spans never carry subject ids; request paths are reduced to their route.
// Probes: GET /healthz (live, no store work) and GET /readyz (store, rule packs, authority outbox; 503 when not ready).
// Exit codes: 0 stopped, 2 bad arguments or configuration, 3 the store cannot be reached.
var options = new ShortVideoAppOptions
{
    DatabasePath = Arg("--db") ?? "shortvideo.db",
    Store = Arg("--store") ?? SampleStores.Sqlite,
    ConnectionString = Arg("--connection"),
    Urls = Arg("--urls") ?? "http://127.0.0.1:5080",
    RulePackPath = Arg("--rules"),
    Mutant = Arg("--mutant"),
    ConformanceKey = Environment.GetEnvironmentVariable("TEENMODE_CONFORMANCE_KEY"),
    EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production",
    AuthoritySinkUrl = Arg("--authority-sink") is { } sink ? new Uri(sink) : null,
    AuthoritySinkSecret = Environment.GetEnvironmentVariable("TEENMODE_AUTHORITY_SECRET"),
    ReviewerKey = Environment.GetEnvironmentVariable("TEENMODE_REVIEWER_KEY"),
    RealNameCallbackSecret = Environment.GetEnvironmentVariable("TEENMODE_REAL_NAME_CALLBACK_SECRET"),
    PersonalDataKey = Environment.GetEnvironmentVariable("TEENMODE_PI_KEY"),
    OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp ? new Uri(otlp) : null,
    OtlpProtocol = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL"),
};

var poll = Seconds("--outbox-poll");
var backoff = Seconds("--outbox-backoff");
var storeTimeout = Seconds("--store-timeout");
if (poll <= TimeSpan.Zero || backoff <= TimeSpan.Zero || storeTimeout <= TimeSpan.Zero || storeTimeout > TimeSpan.FromMinutes(1))
{
    await Console.Error.WriteLineAsync(
        "ShortVideoApp: --outbox-poll、--outbox-backoff 与 --store-timeout 须为正数秒（--store-timeout 至多 60）/ --outbox-poll, --outbox-backoff and --store-timeout must be positive seconds (--store-timeout at most 60)");
    return 2;
}

options.StoreTimeout = storeTimeout;

if (poll is not null || backoff is not null)
{
    options.AuthorityDispatch = d =>
    {
        d.PollInterval = poll ?? d.PollInterval;
        if (backoff is { } wait)
        {
            d.Backoff = wait;
            d.MaxBackoff = wait * 4;
            d.RetryDelay = wait < d.RetryDelay ? wait : d.RetryDelay;
            d.BreakDuration = wait;
        }
    };
}

RunningApp running;
try
{
    running = await ShortVideoAppHost.StartAsync(options);
}
catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
{
    await Console.Error.WriteLineAsync($"ShortVideoApp: {ex.Message}");
    return 2;
}
catch (StoreUnreachableException ex)
{
    await Console.Error.WriteLineAsync($"ShortVideoApp: {ex.Message}");
    return 3;
}

await using (running)
{
    Console.WriteLine($"ShortVideoApp listening on {running.BaseAddress} (store {ShortVideoAppHost.DescribeStore(options)})");

    // The generic host's lifetime: SIGTERM, SIGINT (Ctrl+C) and SIGQUIT stop accepting, finish in-flight requests and
    // stop the outbox dispatcher within the host's shutdown timeout.
    await running.WaitForShutdownAsync();
}

Console.WriteLine("ShortVideoApp stopped");
return 0;

TimeSpan? Seconds(string name) =>
    Arg(name) is not { } text ? null
    : double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && double.IsFinite(s) && s < 86400
        ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
