using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json.Linq;
using ShortVideoApp;

namespace TeenMode.IntegrationTests;

/// <summary>Starts the sample app on loopback with a fresh SQLite file; deletes it afterwards.</summary>
internal sealed class SampleApp : IAsyncDisposable
{
    public const string Key = "integration-test-conformance-key";

    /// <summary>The secret the tests sign real-name provider callbacks with.</summary>
    public const string CallbackSecret = "integration-test-real-name-callback-secret";

    private readonly string _dir;

    private SampleApp(string dir, RunningApp app)
    {
        _dir = dir;
        App = app;
        Client = new HttpClient { BaseAddress = app.BaseAddress };
        Client.DefaultRequestHeaders.Add("X-TeenMode-Conformance-Key", Key);
    }

    public RunningApp App { get; }

    public HttpClient Client { get; }

    public string DatabasePath => Path.Combine(_dir, "app.db");

    public static async Task<SampleApp> StartAsync(string? mutant = null, string? dir = null, Action<ShortVideoAppOptions>? configure = null)
    {
        dir ??= Directory.CreateTempSubdirectory("teenmode-it-").FullName;
        var options = new ShortVideoAppOptions
        {
            DatabasePath = Path.Combine(dir, "app.db"),
            ConformanceKey = Key,
            RealNameCallbackSecret = CallbackSecret,
            Mutant = mutant,
            EnvironmentName = "Testing",
        };
        configure?.Invoke(options);
        var app = await ShortVideoAppHost.StartAsync(options);
        return new SampleApp(dir, app);
    }

    public async Task<(int Status, JObject Body)> SendAsync(HttpMethod method, string path, string? json = null, params (string Name, string Value)[] headers)
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

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JObject() : Parse(text));
    }

    /// <summary>
    /// Real-name verifies a subject through the app's provider (the NPPA simulator in the sample), with a valid identity
    /// number for <paramref name="birthDate"/>: online games serve no one else. Returns the status code.
    /// </summary>
    public async Task<int> VerifyRealNameAsync(string subjectId, DateOnly birthDate)
    {
        var body = "110105" + birthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "003";
        var number = body + TeenMode.AgeAssurance.ResidentIdentityNumber.ComputeCheckCharacter(body);
        var (status, answer) = await SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{subjectId}/real-name",
            new JObject { ["name"] = "测试用户", ["identityNumber"] = number }.ToString());
        answer["realName"]?.ToString().Should().Be("verified", answer.ToString());
        return status;
    }

    /// <summary>Both sides of a guardian binding: the minor's one-time code, then the guardian's PIN. Returns the bind status.</summary>
    public async Task<int> BindGuardianAsync(string subjectId, string guardianId, string pin, string? existingGuardianPin = null)
    {
        var (_, start) = await SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{subjectId}/guardian-binding-codes");
        var body = new JObject { ["guardianId"] = guardianId, ["pin"] = pin, ["bindingCode"] = start["bindingCode"]?.ToString() };
        if (existingGuardianPin is not null)
        {
            body["existingGuardianPin"] = existingGuardianPin;
        }

        return (await SendAsync(HttpMethod.Post, $"/teenmode/v1/subjects/{subjectId}/guardians", body.ToString())).Status;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    public async ValueTask KeepFilesAndDisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    // Keep timestamps as the wire strings; Newtonsoft would otherwise turn them into local DateTime.
    private static JObject Parse(string text)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(text)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        return JObject.Load(reader);
    }
}
