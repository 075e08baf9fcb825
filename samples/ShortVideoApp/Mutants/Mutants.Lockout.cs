using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.ParentalControl;
using TeenMode.Sqlite;

namespace ShortVideoApp;

public static partial class Mutants
{
    private static MutantInfo[] LockoutMutants =>
    [
        new("pin-lockout-off", "Wrong guardian PINs are never counted, so verification never locks and a PIN can be guessed.", ["PC-PIN-LOCKOUT"]),
    ];

    private static bool TryApplyLockout(IServiceCollection services, string name)
    {
        if (name != "pin-lockout-off")
        {
            return false;
        }

        services.Replace(ServiceDescriptor.Singleton<IGuardianLockoutStore>(sp => new NeverLocks(sp.GetRequiredService<SqliteGuardianLockoutStore>())));
        return true;
    }

    private sealed class NeverLocks(IGuardianLockoutStore inner) : IGuardianLockoutStore
    {
        public Task<GuardianLockState> GetLockAsync(string subjectId, CancellationToken cancellationToken = default) => Task.FromResult(GuardianLockState.Clear);

        public Task<GuardianAttemptReservation> TryReserveAttemptAsync(string subjectId, DateTimeOffset at, int maxFailures, TimeSpan lockFor, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GuardianAttemptReservation(true, GuardianLockState.Clear));

        public Task ClearFailuresAsync(string subjectId, CancellationToken cancellationToken = default) => inner.ClearFailuresAsync(subjectId, cancellationToken);
    }
}
