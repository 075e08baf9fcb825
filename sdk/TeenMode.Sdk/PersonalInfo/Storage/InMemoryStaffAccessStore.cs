using TeenMode.PersonalInfo;

namespace TeenMode.Storage;

/// <summary>Staff access grants in process memory: for tests and demos only.</summary>
internal sealed class InMemoryStaffAccessStore : IStaffAccessStore
{
    private readonly Dictionary<string, StaffAccessGrant> _grants = new(StringComparer.Ordinal);
    private readonly Lock _grantLock = new();

    public Task<bool> AddGrantAsync(StaffAccessGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        lock (_grantLock)
        {
            return Task.FromResult(_grants.TryAdd(grant.Id, grant));
        }
    }

    public Task<StaffAccessGrant?> GetGrantAsync(string grantId, CancellationToken cancellationToken = default)
    {
        lock (_grantLock)
        {
            return Task.FromResult(_grants.GetValueOrDefault(grantId));
        }
    }

    public Task<bool> DecideGrantAsync(StaffAccessGrant decided, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decided);
        lock (_grantLock)
        {
            if (!_grants.TryGetValue(decided.Id, out var current) || current.Status != StaffAccessStatus.Pending)
            {
                return Task.FromResult(false);
            }

            _grants[decided.Id] = decided;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<StaffAccessGrant>> ListGrantsAsync(string staffId, string subjectId, CancellationToken cancellationToken = default)
    {
        lock (_grantLock)
        {
            IReadOnlyList<StaffAccessGrant> list = _grants.Values
                .Where(g => g.StaffId == staffId && g.SubjectId == subjectId)
                .OrderByDescending(g => g.RequestedAt).ThenBy(g => g.Id, StringComparer.Ordinal)
                .ToList();
            return Task.FromResult(list);
        }
    }
}
