using Microsoft.Extensions.DependencyInjection;

namespace TeenMode;

/// <summary>Returned by <c>AddTeenMode</c>; store packages and apps hang their registrations off it.</summary>
public interface ITeenModeBuilder
{
    /// <summary>The service collection being configured.</summary>
    IServiceCollection Services { get; }
}
