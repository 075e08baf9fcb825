namespace TeenMode.Tests.Stores;

/// <summary>A fresh database path in a private temp folder, deleted (with its WAL files) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "teenmode-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_folder);
    }

    public string Path => System.IO.Path.Combine(_folder, "teenmode.db");

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
