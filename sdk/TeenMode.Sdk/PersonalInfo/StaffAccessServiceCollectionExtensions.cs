using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TeenMode.PersonalInfo;
using TeenMode.Storage;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>Sets how staff access to minors' personal data is granted (lifetime, responsible approvers).</summary>
    public static ITeenModeBuilder ConfigureStaffAccess(this ITeenModeBuilder builder, Action<StaffAccessOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    // Redaction, staff access and the incident flow (issue 5).
    private static void AddPersonalInfoProtection(IServiceCollection services)
    {
        services.AddOptions<StaffAccessOptions>();
        services.TryAddSingleton<IRedactor>(StandardRedactor.Instance);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPersonalDataSource, SubjectRecordDataSource>());
        services.TryAddSingleton<IStaffAccess, StaffAccessService>();
        services.TryAddSingleton<IBreachNotifier, InAppBreachNotifier>();
        services.TryAddSingleton<IBreachResponse, BreachResponse>();

        // Redacts the logger providers registered so far (a web host adds its defaults before this); a host that adds
        // providers later calls AddTeenModeLogRedaction() again after them.
        services.AddTeenModeLogRedaction();
    }
}
