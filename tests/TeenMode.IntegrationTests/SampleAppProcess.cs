using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using TeenMode.LoadDriver;

namespace TeenMode.IntegrationTests;

/// <summary>The database several app instances share: the sample's <c>--store</c> and <c>--connection</c> arguments.</summary>
internal sealed record SharedStore(string Store, string Connection) : IAsyncDisposable
{
    public const string PostgresVariable = "TEENMODE_TEST_POSTGRES";

    private string? _dropFrom;

    /// <summary>
    /// A fresh shared database: <c>sqlite</c> is one file in <paramref name="directory"/>; <c>postgres</c> is a new database on
    /// the server named by <c>TEENMODE_TEST_POSTGRES</c> (.ci/test.sh provisions one), dropped on dispose.
    /// </summary>
    public static async Task<SharedStore> CreateAsync(string store, string directory)
    {
        if (store == "sqlite")
        {
            return new("sqlite", $"Data Source={Path.Combine(directory, "shared.db")}");
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException($"The PostgreSQL multi-instance tests need {PostgresVariable} (run them through .ci/test.sh, or eval \"$(bash .ci/postgres.sh start)\").");
        }

        var name = $"tm_multi_{Guid.NewGuid():N}";
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new("postgres", new Npgsql.NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString) { _dropFrom = admin };
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropFrom is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return;
        }

        var name = new Npgsql.NpgsqlConnectionStringBuilder(Connection).Database;
        await using var connection = new Npgsql.NpgsqlConnection(_dropFrom);
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>The sample app as its own process (<c>dotnet ShortVideoApp.dll</c>) on loopback: one instance of many.</summary>
internal sealed class SampleAppProcess : IAsyncDisposable
{
    // Every instance seals personal data with the same key, as instances behind one load balancer must.
    public static readonly string PiKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private readonly Process _process;
    private readonly StringBuilder _log;

    private SampleAppProcess(string name, Process process, StringBuilder log, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-TeenMode-Conformance-Key", SampleApp.Key);
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public string Log
    {
        get
        {
            return SampleAppLaunch.Text(_log);
        }
    }

    /// <summary>Starts an instance on <paramref name="store"/> with the conformance driver on; waits for its "listening on" line.</summary>
    public static async Task<SampleAppProcess> StartAsync(string name, SharedStore store, IEnumerable<string>? args = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ShortVideoApp.dll");
        var start = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { dll, "--store", store.Store, "--connection", store.Connection, "--urls", "http://127.0.0.1:0" }.Concat(args ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["TEENMODE_CONFORMANCE_KEY"] = SampleApp.Key;
        start.Environment["TEENMODE_REAL_NAME_CALLBACK_SECRET"] = SampleApp.CallbackSecret;
        start.Environment["TEENMODE_PI_KEY"] = PiKey;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var (process, log, address) = await SampleAppLaunch.StartAsync(start, TimeSpan.FromSeconds(90));
        if (address is not null)
        {
            return new SampleAppProcess(name, process, log, address);
        }

        var exited = process.HasExited;
        SampleAppLaunch.Kill(process);
        process.Dispose();
        throw new InvalidOperationException(exited
            ? $"instance {name} exited before listening:\n{SampleAppLaunch.Text(log)}"
            : $"instance {name} did not listen within 90 s:\n{SampleAppLaunch.Text(log)}");
    }

    public async Task<(int Status, JObject Body)> SendAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        var (status, body, _) = await SendTimedAsync(method, path, json, headers);
        return (status, body);
    }

    public async Task<(int Status, JObject Body, TimeSpan Took)> SendTimedAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var clock = Stopwatch.StartNew();
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        JObject body;
        using (var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None })
        {
            body = text.StartsWith('{') ? JObject.Load(reader) : new JObject();
        }

        return ((int)response.StatusCode, body, clock.Elapsed);
    }

    /// <summary>Sets this instance's conformance clock (each process has its own; tests set every instance alike).</summary>
    public async Task SetClockAsync(string local)
    {
        var (status, body) = await SendAsync(HttpMethod.Put, "/teenmode/conformance/v1/clock", new JObject { ["local"] = local }.ToString());
        status.Should().BeInRange(200, 204, $"{Name} takes the clock: {body}");
    }

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Kills the process at once (SIGKILL: no shutdown, no flush), as a crash or an OOM kill would.</summary>
    public void KillNow()
    {
        SampleAppLaunch.Kill(_process);
        _process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        SampleAppLaunch.Kill(_process);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }
}
