using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TeenMode.PersonalInfo;
using TeenMode.Storage;

namespace TeenMode;

public static partial class TeenModeServiceCollectionExtensions
{
    /// <summary>
    /// Configures personal-information protection: the data inventory (required before <see cref="IPersonalInfo"/> is used)
    /// and, optionally, the request due time.
    /// </summary>
    public static ITeenModeBuilder UsePersonalInfo(this ITeenModeBuilder builder, Action<PersonalInfoOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Encrypts sensitive personal data under keys from <paramref name="keys"/> (replaces the ephemeral default).</summary>
    public static ITeenModeBuilder UsePersonalDataKeys(this ITeenModeBuilder builder, IPersonalDataKeyProvider keys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        builder.Services.Replace(ServiceDescriptor.Singleton(keys));
        return builder;
    }

    private static void AddPersonalInfo(IServiceCollection services)
    {
        services.AddOptions<PersonalInfoOptions>();
        services.TryAddSingleton<IPersonalDataKeyProvider>(sp =>
        {
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger<PersonalDataProtector>() ?? NullLogger<PersonalDataProtector>.Instance;
            logger.LogWarning("TeenMode personal data is sealed with an ephemeral key: sensitive values become unreadable after a restart. Call UsePersonalDataKeys.");
            return StaticPersonalDataKeyProvider.Ephemeral();
        });
        services.TryAddSingleton(sp => new PersonalDataProtector(sp.GetRequiredService<IPersonalDataKeyProvider>()));
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PersonalInfoOptions>>().Value;
            return o.InventoryPath is { Length: > 0 } path ? DataInventoryLoader.LoadFile(path)
                : o.InventoryId is { Length: > 0 } id ? DataInventoryLoader.LoadEmbedded(id)
                : throw new TeenModeConfigurationException("No personal-data inventory: call UsePersonalInfo(o => o.InventoryPath = ...) on the TeenMode builder.");
        });
        services.TryAddSingleton<IPersonalInfo>(sp => ActivatorUtilities.CreateInstance<PersonalInfoService>(sp,
            sp.GetRequiredService<IOptions<PersonalInfoOptions>>().Value));
    }
}
