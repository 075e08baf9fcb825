using System.Reflection;

namespace TeenMode.Harness;

/// <summary>Facts about this harness build, recorded in every report.</summary>
public static class HarnessInfo
{
    /// <summary>The informational version, e.g. <c>0.1.0+abc123</c>.</summary>
    public static string Version { get; } =
        typeof(HarnessInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HarnessInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";
}
