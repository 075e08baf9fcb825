using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.Audit;

namespace TeenMode.Reporting;

/// <summary>The answer of a sink to one delivery attempt.</summary>
/// <param name="Accepted">True when the sink took the notice (a duplicate it already has counts as accepted).</param>
/// <param name="Error">Why not, without personal data (e.g. <c>HTTP 503</c>).</param>
public sealed record AuthorityDelivery(bool Accepted, string? Error)
{
    /// <summary>Accepted.</summary>
    public static AuthorityDelivery Ok { get; } = new(true, null);
}

/// <summary>Where authority notices go (a police or CAC gateway, a compliance team's inbox). Must de-duplicate by idempotency key.</summary>
public interface IAuthoritySink
{
    /// <summary>Delivers one notice. May throw on transport failure; the dispatcher retries.</summary>
    Task<AuthorityDelivery> DeliverAsync(AuthorityNotice notice, CancellationToken cancellationToken = default);
}

/// <summary>The default sink: none is configured, so notices stay in the outbox (never dropped) until one is.</summary>
internal sealed class UnconfiguredAuthoritySink : IAuthoritySink
{
    public Task<AuthorityDelivery> DeliverAsync(AuthorityNotice notice, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AuthorityDelivery(false, "no authority sink configured"));
}

/// <summary>Settings of <see cref="HttpWebhookAuthoritySink"/>.</summary>
public sealed class AuthorityWebhookOptions
{
    /// <summary>The absolute http(s) URL notices are POSTed to.</summary>
    public Uri? Url { get; set; }

    /// <summary>The HMAC-SHA256 key; at least 32 bytes (UTF-8), not blank. The sink checks <c>X-TeenMode-Signature</c> with it.</summary>
    public string? Secret { get; set; }

    internal void Validate()
    {
        if (Url is null || !Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            throw new TeenModeConfigurationException("AuthorityWebhookOptions.Url must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(Secret) || Encoding.UTF8.GetByteCount(Secret) < 32)
        {
            throw new TeenModeConfigurationException(
                "监管机构回调密钥（AuthorityWebhookOptions.Secret）须至少 32 字节且不能为空白 / AuthorityWebhookOptions.Secret must be at least 32 bytes (UTF-8), not blank.");
        }
    }
}

/// <summary>
/// POSTs each notice's JSON payload to a webhook with <c>Idempotency-Key</c> (the same on every attempt) and
/// <c>X-TeenMode-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>. Any 2xx answer means accepted.
/// It sends through the named client <see cref="HttpClientName"/> of <see cref="IHttpClientFactory"/>, whose resilience
/// handler (retries inside a round, circuit breaker, attempt timeout) <c>UseAuthorityWebhook</c> registers.
/// </summary>
public sealed class HttpWebhookAuthoritySink : IAuthoritySink
{
    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-TeenMode-Signature";

    /// <summary>The name of the <see cref="IHttpClientFactory"/> client the sink sends with; a host may add handlers to it.</summary>
    public const string HttpClientName = "TeenMode.AuthorityWebhook";

    private readonly IHttpClientFactory _clients;
    private readonly Uri _url;
    private readonly byte[] _key;

    /// <summary>Creates the sink over <paramref name="clients"/>' <see cref="HttpClientName"/> client.</summary>
    /// <exception cref="TeenModeConfigurationException">The URL or secret is missing or unfit.</exception>
    public HttpWebhookAuthoritySink(AuthorityWebhookOptions options, IHttpClientFactory clients)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentNullException.ThrowIfNull(clients);
        _clients = clients;
        _url = options.Url!;
        _key = Encoding.UTF8.GetBytes(options.Secret!);
    }

    /// <summary>The signature value for <paramref name="body"/> under <paramref name="secret"/>: <c>sha256=</c> and lower-case hex.</summary>
    public static string Sign(string secret, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <inheritdoc />
    public async Task<AuthorityDelivery> DeliverAsync(AuthorityNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var body = Encoding.UTF8.GetBytes(notice.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", notice.IdempotencyKey);
        request.Headers.TryAddWithoutValidation(SignatureHeader, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));

        // A client per call is cheap: the factory pools and renews the handlers (and so sees DNS changes).
        using var client = _clients.CreateClient(HttpClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? AuthorityDelivery.Ok : new AuthorityDelivery(false, $"HTTP {(int)response.StatusCode}");
    }
}

/// <summary>Operational settings of the authority-notice dispatcher (not regulatory numbers).</summary>
public sealed class AuthorityDispatchOptions
{
    /// <summary>How often a host's background loop calls <see cref="IAuthorityNoticeDispatcher.DispatchPendingAsync"/>. Default 10 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Notices per round. Default 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Retries inside one round by the webhook's resilience handler (0 turns them off). Default 2.</summary>
    public int RetriesPerRound { get; set; } = 2;

    /// <summary>First delay between retries in a round (exponential, jittered). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one webhook attempt (the resilience handler's timeout). Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the webhook's circuit stays open once it keeps failing (Polly allows 0.5 s or more). Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Wait before the next round after a failed one; doubles per failed round up to <see cref="MaxBackoff"/>. Default 30 s.</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between rounds. Default 1 h.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>What one dispatch round did.</summary>
public sealed record AuthorityDispatchResult(int Due, int Delivered, int Failed);

/// <summary>Delivers queued authority notices: at least once, each with its idempotency key.</summary>
public interface IAuthorityNoticeDispatcher
{
    /// <summary>Tries every due, undelivered notice once (with in-round retries); failures are rescheduled in the store.</summary>
    Task<AuthorityDispatchResult> DispatchPendingAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// The durable outbox: reads due, undelivered notices from the store, hands each to the sink once per round and
/// reschedules failures with a growing backoff, so retries go on across rounds and restarts. Retries inside a round,
/// the circuit breaker and the attempt timeout are the transport's: the webhook gets them from its
/// Microsoft.Extensions.Http.Resilience handler; a custom <see cref="IAuthoritySink"/> brings its own.
/// </summary>
internal sealed class AuthorityNoticeDispatcher : IAuthorityNoticeDispatcher, IDisposable
{
    private readonly IReportWorkflowStore _store;
    private readonly IAuthoritySink _sink;
    private readonly IAuditLog _audit;
    private readonly ReportingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly AuthorityDispatchOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _round = new(1, 1);

    public AuthorityNoticeDispatcher(IReportWorkflowStore store, IAuthoritySink sink, IAuditLog audit, ReportingMetrics metrics, TimeProvider time,
        IOptions<AuthorityDispatchOptions> options, ILogger<AuthorityNoticeDispatcher>? logger = null)
    {
        _store = store;
        _sink = sink;
        _audit = audit;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<AuthorityDispatchResult> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        // One round at a time per process: the background loop and an explicit call must not send twice in parallel.
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var activity = TeenModeTelemetry.Start("teenmode.authority.dispatch");
        try
        {
            var due = await _store.GetDueNoticesAsync(_time.GetUtcNow(), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            int delivered = 0, failed = 0;
            foreach (var notice in due)
            {
                var attempts = notice.Attempts + 1;
                AuthorityDelivery outcome;
                try
                {
                    outcome = await _sink.DeliverAsync(notice, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A transport failure, a timed-out attempt or an open circuit: recorded by type name, kept for the next round.
                    outcome = new AuthorityDelivery(false, ex.GetType().Name);
                }
                catch (OperationCanceledException)
                {
                    // Stopping mid-delivery: hand the claim back (due now, attempt not counted) so another instance sends it at once
                    // instead of after the store's claim lease. If the store is down too, the lease expires and it is sent then.
                    await ReleaseClaimAsync(notice).ConfigureAwait(false);
                    throw;
                }

                if (outcome.Accepted)
                {
                    await _store.MarkNoticeDeliveredAsync(notice.Id, attempts, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    await _audit.AppendAsync(new AuditEvent("system", "authority-notice-delivered", null, notice.ReportId,
                        new Dictionary<string, string> { ["noticeId"] = notice.Id, ["attempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
                        cancellationToken).ConfigureAwait(false);
                    _metrics.NoticeRound(true);
                    delivered++;
                }
                else
                {
                    var next = _time.GetUtcNow() + BackoffFor(attempts);
                    await _store.MarkNoticeFailedAsync(notice.Id, attempts, next, outcome.Error ?? "refused", cancellationToken).ConfigureAwait(false);
                    _metrics.NoticeRound(false);
                    LogFailed(_logger, notice.Id, attempts, outcome.Error ?? "refused", null);
                    failed++;
                }
            }

            // Counts only: a notice's id and payload stay out of traces.
            activity?.SetTag("teenmode.outbox.due", due.Count);
            activity?.SetTag("teenmode.outbox.delivered", delivered);
            activity?.SetTag("teenmode.outbox.failed", failed);
            return new AuthorityDispatchResult(due.Count, delivered, failed);
        }
        finally
        {
            _round.Release();
        }
    }

    public void Dispose() => _round.Dispose();

    private async Task ReleaseClaimAsync(AuthorityNotice notice)
    {
        try
        {
            await _store.MarkNoticeFailedAsync(notice.Id, notice.Attempts, _time.GetUtcNow(), notice.LastError ?? "interrupted", CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort while stopping: the claim lease still frees the notice.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(_logger, notice.Id, notice.Attempts, "claim not released: " + ex.GetType().Name, null);
        }
    }

    private TimeSpan BackoffFor(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        var wait = TimeSpan.FromTicks((long)Math.Min(_options.Backoff.Ticks * factor, _options.MaxBackoff.Ticks));
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static readonly Action<ILogger, string, int, string, Exception?> LogFailed = LoggerMessage.Define<string, int, string>(
        LogLevel.Warning, new EventId(6001, "AuthorityNoticeNotDelivered"),
        "Authority notice {NoticeId} not delivered (round {Attempts}): {Error}; it stays in the outbox.");
}
