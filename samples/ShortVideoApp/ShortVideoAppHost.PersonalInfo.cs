using System.Security.Cryptography;
using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.PersonalInfo;

namespace ShortVideoApp;

/// <summary>The sample's personal-information wiring (issue 5): the sample inventory, the sealing key and the retention purge.</summary>
public static partial class ShortVideoAppHost
{
    private const string SampleKeyId = "sample-1";

    private static void ConfigurePersonalInfo(ITeenModeBuilder teenMode, ShortVideoAppOptions options)
    {
        teenMode.UsePersonalInfo(o => o.InventoryId = DataInventoryLoader.SampleId);
        teenMode.UsePersonalDataKeys(new StaticPersonalDataKeyProvider(
            new Dictionary<string, byte[]>(StringComparer.Ordinal) { [SampleKeyId] = SampleKey(options) }, SampleKeyId));
        teenMode.AddPersonalDataPurge();
    }

    // A real app reads its key from a KMS or secret store. The sample takes TEENMODE_PI_KEY (base64, 32 bytes) or keeps
    // a random key in a file beside its database, readable only by the owner, so data survives a restart.
    private static byte[] SampleKey(ShortVideoAppOptions options)
    {
        if (options.PersonalDataKey is { } given)
        {
            return Convert.FromBase64String(given);
        }

        var path = Path.GetFullPath(SqlitePath(options)) + ".pi-key";
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        var key = RandomNumberGenerator.GetBytes(32);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, create))
        {
            stream.Write(key);
        }

        return key;
    }
}
