using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeenMode.IntegrationTests;

/// <summary>A stand-in authority webhook on loopback: refuses while <see cref="Refusing"/>, checks signatures, records keys.</summary>
internal sealed class AuthoritySinkServer : IAsyncDisposable
{
    public const string Secret = "integration-authority-sink-secret-0123456789";

    private readonly WebApplication _app;
    private volatile bool _refusing;

    private AuthoritySinkServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    /// <summary>Every delivery the sink accepted, by idempotency key (duplicates counted).</summary>
    public ConcurrentDictionary<string, int> Accepted { get; } = new(StringComparer.Ordinal);

    public int Refused => _refused;

    public int BadSignatures => _badSignatures;

    private int _refused;
    private int _badSignatures;

    public static async Task<AuthoritySinkServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        AuthoritySinkServer? self = null;
        app.MapPost("/notices", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), buffer.ToArray()));
            if (!string.Equals(request.Headers["X-TeenMode-Signature"].ToString(), expected, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref self!._badSignatures);
                return Results.StatusCode(StatusCodes.Status401Unauthorized);
            }

            if (self!.Refusing)
            {
                Interlocked.Increment(ref self._refused);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            self.Accepted.AddOrUpdate(request.Headers["Idempotency-Key"].ToString(), 1, (_, n) => n + 1);
            return Results.Accepted();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new AuthoritySinkServer(app, new Uri(address.TrimEnd('/') + "/notices"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
