using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Trust;

/// <summary>The result of checking a signed report folder.</summary>
/// <param name="Valid">The signature holds and every listed file is unchanged and present.</param>
/// <param name="Problems">What does not hold, one line each (file names, never contents).</param>
public sealed record VerifyResult(bool Valid, IReadOnlyList<string> Problems);

/// <summary>
/// Detached ECDSA P-256 signatures over a report folder: <c>manifest.json</c> lists every report file with its
/// SHA-256, and <c>manifest.sig</c> holds the base64 signature (IEEE P1363, SHA-256) over the manifest's exact bytes.
/// Changing any byte of any listed file, or of the manifest, makes <see cref="Verify"/> fail.
/// </summary>
public static class ReportSigner
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>The signature's file name.</summary>
    public const string SignatureName = "manifest.sig";

    /// <summary>Creates a new P-256 key pair as PEM text (PKCS#8 private key, SubjectPublicKeyInfo public key).</summary>
    public static (string PrivateKeyPem, string PublicKeyPem) CreateKeyPair()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (key.ExportPkcs8PrivateKeyPem(), key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Checks that <paramref name="pem"/> is a P-256 private key.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void EnsurePrivateKey(string pem)
    {
        using var key = ImportKey(pem, requirePrivate: true);
    }

    /// <summary>Signs every regular file in <paramref name="directory"/> (except a previous manifest and signature).</summary>
    /// <exception cref="ArgumentException">The key is not a P-256 private key in PEM form.</exception>
    public static async Task<IReadOnlyList<string>> SignAsync(string directory, string privateKeyPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var key = ImportKey(privateKeyPem, requirePrivate: true);
        var files = Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n is not ManifestName and not SignatureName)
            .Order(StringComparer.Ordinal)
            .ToList();
        var entries = new JArray();
        foreach (var name in files)
        {
            entries.Add(new JObject { ["path"] = name, ["sha256"] = await HashAsync(Path.Combine(directory, name), cancellationToken).ConfigureAwait(false) });
        }

        var manifest = new JObject
        {
            ["format"] = "teenmode-report-manifest/1",
            ["algorithm"] = "ECDSA-P256-SHA256",
            ["publicKeySha256"] = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo())),
            ["files"] = entries,
        };
        var bytes = new UTF8Encoding(false).GetBytes(manifest.ToString(Formatting.Indented) + "\n");
        var signature = key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        await File.WriteAllBytesAsync(Path.Combine(directory, ManifestName), bytes, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, SignatureName), Convert.ToBase64String(signature) + "\n", cancellationToken).ConfigureAwait(false);
        return files;
    }

    /// <summary>Checks the signature with <paramref name="publicKeyPem"/>, then every file's hash.</summary>
    /// <exception cref="ArgumentException">The key is not a P-256 key in PEM form.</exception>
    public static async Task<VerifyResult> VerifyAsync(string directory, string publicKeyPem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var key = ImportKey(publicKeyPem, requirePrivate: false);
        var manifestPath = Path.Combine(directory, ManifestName);
        var signaturePath = Path.Combine(directory, SignatureName);
        if (!File.Exists(manifestPath) || !File.Exists(signaturePath))
        {
            return new VerifyResult(false, [$"{ManifestName} 或 {SignatureName} 不存在 / {ManifestName} or {SignatureName} is missing"]);
        }

        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String((await File.ReadAllTextAsync(signaturePath, cancellationToken).ConfigureAwait(false)).Trim());
        }
        catch (FormatException)
        {
            return new VerifyResult(false, [$"{SignatureName} 不是 base64 / {SignatureName} is not base64"]);
        }

        if (!key.VerifyData(bytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return new VerifyResult(false, ["签名无效（清单被改动或密钥不符）/ the signature does not match (manifest changed or wrong key)"]);
        }

        var problems = new List<string>();
        var manifest = JObject.Parse(Encoding.UTF8.GetString(bytes));
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in manifest["files"]!.Children<JObject>())
        {
            var name = (string)entry["path"]!;
            listed.Add(name);

            // Names come from a signed manifest, but still never leave the folder.
            if (name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name is "." or "..")
            {
                problems.Add($"{name}: 非法路径 / not a plain file name");
                continue;
            }

            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                problems.Add($"{name}: 缺失 / missing");
            }
            else if (!string.Equals(await HashAsync(path, cancellationToken).ConfigureAwait(false), (string?)entry["sha256"], StringComparison.Ordinal))
            {
                problems.Add($"{name}: 内容已改动 / changed since it was signed");
            }
        }

        foreach (var extra in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>()
                     .Where(n => n is not ManifestName and not SignatureName && !listed.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{extra}: 未签名的文件 / not covered by the signature");
        }

        return new VerifyResult(problems.Count == 0, problems);
    }

    private static ECDsa ImportKey(string pem, bool requirePrivate)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ArgumentException("密钥不是 PEM 格式的 EC 密钥 / the key is not an EC key in PEM form", nameof(pem), ex);
        }

        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value || (requirePrivate && !HasPrivate(key)))
        {
            key.Dispose();
            throw new ArgumentException(requirePrivate
                ? "需要 P-256 私钥 / a P-256 private key is needed"
                : "需要 P-256 公钥 / a P-256 key is needed", nameof(pem));
        }

        return key;
    }

    private static bool HasPrivate(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}
