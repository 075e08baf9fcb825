namespace TeenMode.IntegrationTests;

/// <summary>The source tree the tests read seeds and samples from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding <c>TeenMode.sln</c>.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TeenMode.sln")))
        {
            dir = dir.Parent;
        }

        // With TEENMODE_ARTIFACTS the build output lives outside the source tree: fall back to where the project was built from.
        return dir?.FullName
            ?? typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "RepoRoot")?.Value
            ?? throw new InvalidOperationException("TeenMode.sln not found above the test folder.");
    }
}
