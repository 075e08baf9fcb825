using TeenMode.Audit;

namespace TeenMode.Storage;

/// <summary>The audit chain in process memory: for tests and demos only.</summary>
internal sealed class InMemoryAuditStore : IAuditStore
{
    private readonly List<AuditEntry> _audit = [];
    private readonly Lock _auditLock = new();

    public Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_auditLock)
        {
            if (entry.Sequence != _audit.Count + 1)
            {
                return Task.FromResult(false);
            }

            _audit.Add(entry);
            return Task.FromResult(true);
        }
    }

    public Task<AuditEntry?> GetLastAsync(CancellationToken cancellationToken = default)
    {
        lock (_auditLock)
        {
            return Task.FromResult(_audit.Count == 0 ? null : _audit[^1]);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, string? subjectId = null, CancellationToken cancellationToken = default)
    {
        lock (_auditLock)
        {
            IReadOnlyList<AuditEntry> page = _audit
                .Skip((int)Math.Min(afterSequence, _audit.Count))
                .Where(e => subjectId is null || e.Event.SubjectId == subjectId)
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }
}
