using TeenMode.PersonalInfo;

namespace TeenMode.Storage;

/// <summary>Personal information in process memory (tests and demos only): one lock keeps each subject's values, consents and requests consistent.</summary>
internal sealed class InMemoryPersonalInfoStore : IPersonalInfoStore
{
    private readonly Lock _piLock = new();
    private readonly List<ConsentRecord> _consents = [];
    private readonly Dictionary<(string Subject, string Field, string Purpose), PersonalDataRecord> _piValues = [];
    private readonly Dictionary<string, DataSubjectRequestRecord> _piRequests = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AddConsentAsync(ConsentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_piLock)
        {
            _consents.Add(record);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ConsentRecord>> GetConsentsAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_piLock)
        {
            return Task.FromResult<IReadOnlyList<ConsentRecord>>(_consents.Where(c => c.SubjectId == subjectId).ToList());
        }
    }

    /// <inheritdoc />
    public Task UpsertValueAsync(PersonalDataRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_piLock)
        {
            // A copy, so a caller changing its buffer later cannot change what is stored.
            _piValues[(record.SubjectId, record.Field, record.Purpose)] = record with { Payload = record.Payload.ToArray() };
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonalDataRecord>> GetValuesAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_piLock)
        {
            return Task.FromResult<IReadOnlyList<PersonalDataRecord>>(_piValues.Values.Where(v => v.SubjectId == subjectId)
                .OrderBy(v => v.Field, StringComparer.Ordinal).ThenBy(v => v.Purpose, StringComparer.Ordinal).ToList());
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonalDataRecord>> DeleteValuesAsync(string subjectId, IReadOnlyCollection<string>? purposes = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PersonalDataRecord>>(DeleteWhere(v => v.SubjectId == subjectId && (purposes is null || purposes.Contains(v.Purpose, StringComparer.Ordinal))));

    /// <inheritdoc />
    public Task<IReadOnlyList<PersonalDataRecord>> DeleteExpiredValuesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PersonalDataRecord>>(DeleteWhere(v => v.ExpiresAt <= now));

    /// <inheritdoc />
    public Task SaveRequestAsync(DataSubjectRequestRecord request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_piLock)
        {
            _piRequests[request.Id] = request;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<DataSubjectRequestRecord?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default)
    {
        lock (_piLock)
        {
            return Task.FromResult(_piRequests.GetValueOrDefault(requestId));
        }
    }

    private List<PersonalDataRecord> DeleteWhere(Func<PersonalDataRecord, bool> match)
    {
        lock (_piLock)
        {
            var gone = _piValues.Where(kv => match(kv.Value)).ToList();
            foreach (var (key, _) in gone)
            {
                _piValues.Remove(key);
            }

            return gone.Select(kv => kv.Value).OrderBy(v => v.SubjectId, StringComparer.Ordinal)
                .ThenBy(v => v.Field, StringComparer.Ordinal).ThenBy(v => v.Purpose, StringComparer.Ordinal).ToList();
        }
    }
}
