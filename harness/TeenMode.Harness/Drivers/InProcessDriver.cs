using TeenMode.Harness.Profiling;

namespace TeenMode.Harness.Drivers;

/// <summary>
/// The <c>inproc</c> driver for .NET test projects: the same profile-driven HTTP driver, but over an in-memory
/// handler (e.g. ASP.NET Core's <c>TestServer.CreateHandler()</c>), so no port is opened and no network is involved.
/// </summary>
public static class InProcessDriver
{
    /// <summary>The base address used for in-process requests.</summary>
    public static readonly Uri BaseAddress = new("http://inproc.teenmode/");

    /// <summary>Creates a driver whose requests go straight to <paramref name="handler"/>.</summary>
    /// <param name="handler">The app's in-memory handler; the caller keeps ownership.</param>
    /// <param name="profile">The app profile (the built-in <c>teenmode-sdk</c> for SDK apps).</param>
    /// <param name="variables">Profile-level variables such as <c>conformanceKey</c>.</param>
    /// <param name="options">Timeouts; transport retries are pointless in process and are switched off.</param>
    public static HttpDriver Create(HttpMessageHandler handler, AppProfile profile, IReadOnlyDictionary<string, string>? variables = null, HttpDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var given = options ?? new HttpDriverOptions();
        var inProcess = new HttpDriverOptions
        {
            RequestTimeout = given.RequestTimeout,
            TransportRetries = 0,
            TimeProvider = given.TimeProvider,
            MaxEvidenceChars = given.MaxEvidenceChars,
        };

#pragma warning disable CA2000 // The client does not own the handler (disposeHandler: false); it holds no other resources.
        var client = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        return new HttpDriver(client, BaseAddress, profile, variables, inProcess);
    }
}
