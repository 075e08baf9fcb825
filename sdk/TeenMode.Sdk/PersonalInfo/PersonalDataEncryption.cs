using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TeenMode.PersonalInfo;

/// <summary>
/// Supplies the AES-256 keys that encrypt sensitive personal data at rest. Keep keys outside the database
/// (a KMS, a secret store); rotate by adding a new key and making it current, keeping old ones readable.
/// </summary>
public interface IPersonalDataKeyProvider
{
    /// <summary>The id of the key new writes use.</summary>
    string CurrentKeyId { get; }

    /// <summary>The 32-byte key with <paramref name="keyId"/>, or null when it is unknown.</summary>
    byte[]? GetKey(string keyId);
}

/// <summary>A key provider over a fixed set of keys, e.g. read from a secret store at start-up.</summary>
public sealed class StaticPersonalDataKeyProvider : IPersonalDataKeyProvider
{
    private readonly Dictionary<string, byte[]> _keys;

    /// <summary>Creates the provider; <paramref name="currentKeyId"/> must be one of <paramref name="keys"/>.</summary>
    /// <exception cref="TeenModeConfigurationException">No keys, a key that is not 32 bytes, or an unknown current key id.</exception>
    public StaticPersonalDataKeyProvider(IReadOnlyDictionary<string, byte[]> keys, string currentKeyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(currentKeyId);
        foreach (var (id, key) in keys)
        {
            if (key is not { Length: 32 })
            {
                throw new TeenModeConfigurationException($"Personal-data key '{id}' must be 32 bytes (AES-256).");
            }
        }

        if (!keys.ContainsKey(currentKeyId))
        {
            throw new TeenModeConfigurationException($"The current personal-data key id '{currentKeyId}' is not among the keys.");
        }

        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
        CurrentKeyId = currentKeyId;
    }

    /// <inheritdoc />
    public string CurrentKeyId { get; }

    /// <inheritdoc />
    public byte[]? GetKey(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>A provider with one random key that lives only as long as the process (tests and demos).</summary>
    public static StaticPersonalDataKeyProvider Ephemeral() =>
        new(new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["ephemeral-1"] = RandomNumberGenerator.GetBytes(32) }, "ephemeral-1");
}

/// <summary>Stored personal data failed its integrity check (tampered, or bound to another subject or field); it is never returned.</summary>
public sealed class PersonalDataIntegrityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PersonalDataIntegrityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PersonalDataIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public PersonalDataIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>AES-GCM sealing of values; the associated data binds each ciphertext to its subject, field and purpose.</summary>
public sealed class PersonalDataProtector(IPersonalDataKeyProvider keys)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    /// <summary>Encrypts <paramref name="value"/> under the current key; returns the key id and nonce ‖ tag ‖ ciphertext.</summary>
    public (string KeyId, byte[] Payload) Seal(string subjectId, string field, string purpose, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var keyId = keys.CurrentKeyId;
        var key = keys.GetKey(keyId) ?? throw new TeenModeConfigurationException($"The current personal-data key '{keyId}' is not available.");
        var plain = Encoding.UTF8.GetBytes(value);
        var payload = new byte[NonceSize + TagSize + plain.Length];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), AssociatedData(subjectId, field, purpose));
        return (keyId, payload);
    }

    /// <summary>Decrypts a stored record.</summary>
    /// <exception cref="PersonalDataIntegrityException">The key is unknown or the ciphertext does not verify.</exception>
    public string Open(PersonalDataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.KeyId is null)
        {
            return Encoding.UTF8.GetString(record.Payload.Span);
        }

        var key = keys.GetKey(record.KeyId)
            ?? throw new PersonalDataIntegrityException($"Stored value of field '{record.Field}' is sealed under key '{record.KeyId}', which the key provider does not have.");
        var payload = record.Payload.Span;
        if (payload.Length < NonceSize + TagSize)
        {
            throw new PersonalDataIntegrityException($"Stored value of field '{record.Field}' is truncated; it was not returned.");
        }

        var plain = new byte[payload.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload[..NonceSize], payload[(NonceSize + TagSize)..], payload.Slice(NonceSize, TagSize), plain,
                AssociatedData(record.SubjectId, record.Field, record.Purpose));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new PersonalDataIntegrityException($"Stored value of field '{record.Field}' failed its integrity check (tampered or moved); it was not returned.", ex);
        }

        return Encoding.UTF8.GetString(plain);
    }

    // Length-prefixed so ("a", "bc") and ("ab", "c") never bind the same way.
    private static byte[] AssociatedData(string subjectId, string field, string purpose)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"teenmode-pi/1|{subjectId.Length}:{subjectId}|{field.Length}:{field}|{purpose.Length}:{purpose}");
        return Encoding.UTF8.GetBytes(text);
    }
}
