using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;

namespace TeenMode.Audit;

/// <summary>How entries are hashed and linked; public so that an auditor can verify an exported log offline.</summary>
internal static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The entry that follows <paramref name="previous"/> (null: the first entry).</summary>
    public static AuditEntry Next(AuditEntry? previous, AuditEvent auditEvent, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var sequence = (previous?.Sequence ?? 0) + 1;
        var previousHash = previous?.Hash ?? Genesis;
        var normalized = auditEvent with { Details = Normalize(auditEvent.Details) };
        var utc = at.ToUniversalTime();
        return new AuditEntry(sequence, utc, normalized, previousHash, ComputeHash(sequence, utc, normalized, previousHash));
    }

    /// <summary>
    /// SHA-256 over a JSON array of the fields, so that no separator inside a field can make two entries look alike.
    /// </summary>
    public static string ComputeHash(long sequence, DateTimeOffset at, AuditEvent auditEvent, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentNullException.ThrowIfNull(previousHash);
        var canonical = JsonConvert.SerializeObject(new object?[]
        {
            sequence,
            at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            auditEvent.Actor,
            auditEvent.Action,
            auditEvent.SubjectId,
            auditEvent.Target,
            Normalize(auditEvent.Details),
            previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Checks entries read in sequence order; <paramref name="expectedPrevious"/> is the hash before the first.</summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries, string? expectedPrevious = null, long expectedFirst = 1)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var previous = expectedPrevious ?? Genesis;
        var next = expectedFirst;
        long count = 0;
        foreach (var entry in entries)
        {
            if (entry.Sequence != next)
            {
                return new(false, count, entry.Sequence, $"expected sequence {next}, found {entry.Sequence} (an entry is missing)");
            }

            if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new(false, count, entry.Sequence, "the previous-hash link does not match the entry before");
            }

            if (!string.Equals(entry.Hash, ComputeHash(entry.Sequence, entry.At, entry.Event, entry.PreviousHash), StringComparison.Ordinal))
            {
                return new(false, count, entry.Sequence, "the entry's content does not match its hash (it was changed)");
            }

            previous = entry.Hash;
            next++;
            count++;
        }

        return new(true, count, null, null);
    }

    private static SortedDictionary<string, string>? Normalize(IReadOnlyDictionary<string, string>? details) =>
        details is null || details.Count == 0 ? null : new SortedDictionary<string, string>(details.ToDictionary(), StringComparer.Ordinal);
}
