namespace TeenMode.Audit;

/// <summary>The append-only, hash-chained audit log. Every change an auditor cares about is appended here.</summary>
public interface IAuditLog
{
    /// <summary>Appends an event and returns its entry; durable on return.</summary>
    Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>Reads entries after <paramref name="afterSequence"/> in order, optionally only those about one subject.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence = 0, int limit = 100, string? subjectId = null, CancellationToken cancellationToken = default);

    /// <summary>Re-computes every hash from the start and checks the links.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}

/// <summary>Stores audit entries. Implementations never update or delete one.</summary>
public interface IAuditStore
{
    /// <summary>Stores <paramref name="entry"/> unless its sequence number is taken (another writer won); durable on return.</summary>
    Task<bool> TryAppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The entry with the highest sequence, or null when the log is empty.</summary>
    Task<AuditEntry?> GetLastAsync(CancellationToken cancellationToken = default);

    /// <summary>Entries after <paramref name="afterSequence"/> in sequence order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, string? subjectId = null, CancellationToken cancellationToken = default);
}
