using ShortVideoApp;

// Usage: ShortVideoApp [--db FILE] [--urls URL] [--rules FILE] [--mutant NAME] [--authority-sink URL]
// Authority webhook secret: TEENMODE_AUTHORITY_SECRET; reviewers' key (sent as X-Reviewer-Key): TEENMODE_REVIEWER_KEY.
// Every key and secret must be at least 32 bytes and not blank, or the app refuses to start.
// Personal-data sealing key (base64, 32 bytes): TEENMODE_PI_KEY; without it a key file is kept beside the database.
// The conformance driver is mapped only when TEENMODE_CONFORMANCE_KEY is set (never in Production).
var options = new ShortVideoAppOptions
{
    DatabasePath = Arg("--db") ?? "shortvideo.db",
    Urls = Arg("--urls") ?? "http://127.0.0.1:5080",
    RulePackPath = Arg("--rules"),
    Mutant = Arg("--mutant"),
    ConformanceKey = Environment.GetEnvironmentVariable("TEENMODE_CONFORMANCE_KEY"),
    EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production",
    AuthoritySinkUrl = Arg("--authority-sink") is { } sink ? new Uri(sink) : null,
    AuthoritySinkSecret = Environment.GetEnvironmentVariable("TEENMODE_AUTHORITY_SECRET"),
    ReviewerKey = Environment.GetEnvironmentVariable("TEENMODE_REVIEWER_KEY"),
    PersonalDataKey = Environment.GetEnvironmentVariable("TEENMODE_PI_KEY"),
};

await using var running = await ShortVideoAppHost.StartAsync(options);
Console.WriteLine($"ShortVideoApp listening on {running.BaseAddress} (database {Path.GetFullPath(options.DatabasePath)})");
// The generic host's lifetime: SIGTERM, SIGINT (Ctrl+C) and SIGQUIT stop accepting, finish in-flight requests and
// stop the outbox dispatcher within the host's shutdown timeout.
await running.WaitForShutdownAsync();
Console.WriteLine("ShortVideoApp stopped");

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
