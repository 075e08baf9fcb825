namespace TeenMode.Audit;

/// <summary>Appends to an <see cref="IAuditStore"/>, chaining each entry to the one before.</summary>
internal sealed class AuditLog : IAuditLog, IDisposable
{
    // Several app instances may append at once; the loser of a sequence number re-reads the tail and retries.
    private const int MaxAttempts = 20;

    private readonly IAuditStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the log over a store.</summary>
    public AuditLog(IAuditStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <inheritdoc />
    public async Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Action);

        // The log cannot be edited later, so personal data and secrets are masked before they reach it.
        auditEvent = auditEvent with
        {
            Actor = PersonalInfo.Redaction.Text(auditEvent.Actor),
            Target = auditEvent.Target is null ? null : PersonalInfo.Redaction.Text(auditEvent.Target),
            Details = PersonalInfo.Redaction.Details(auditEvent.Details),
        };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var last = await _store.GetLastAsync(cancellationToken).ConfigureAwait(false);
                var entry = AuditChain.Next(last, auditEvent, _time.GetUtcNow());
                if (await _store.TryAppendAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    return entry;
                }
            }

            throw new InvalidOperationException($"The audit log could not append after {MaxAttempts} attempts: other writers keep taking the next sequence number.");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence = 0, int limit = 100, string? subjectId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return _store.ReadAsync(afterSequence, limit, subjectId, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    /// <inheritdoc />
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        const int Page = 1000;
        var previous = AuditChain.Genesis;
        long after = 0;
        long total = 0;
        while (true)
        {
            var page = await _store.ReadAsync(after, Page, null, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                return new AuditVerification(true, total, null, null);
            }

            var result = AuditChain.Verify(page, previous, after + 1);
            if (!result.Valid)
            {
                return result with { Count = total + result.Count };
            }

            total += result.Count;
            previous = page[^1].Hash;
            after = page[^1].Sequence;
        }
    }
}
