using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TeenMode.ParentalControl;

/// <summary>Checks a guardian credential against a binding.</summary>
public interface IGuardianVerifier
{
    /// <summary>True when <paramref name="pin"/> is the guardian's PIN.</summary>
    bool Verify(GuardianBinding binding, string pin);
}

/// <summary>PBKDF2-SHA256 PIN hashing with a random salt and a constant-time compare.</summary>
internal sealed class PinHasher(IOptions<TeenModeOptions> options) : IGuardianVerifier
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>True when <paramref name="pin"/> has the shape the SDK accepts: 4 to 16 ASCII digits.</summary>
    public static bool IsWellFormed(string? pin) =>
        pin is { Length: >= 4 and <= 16 } && pin.All(char.IsAsciiDigit);

    /// <summary>Hashes a PIN with a fresh salt at the configured iteration count.</summary>
    /// <exception cref="ArgumentException">The PIN is not 4 to 16 digits.</exception>
    public PinHash Hash(string pin)
    {
        if (!IsWellFormed(pin))
        {
            throw new ArgumentException("A PIN is 4 to 16 digits.", nameof(pin));
        }

        ArgumentNullException.ThrowIfNull(options);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var iterations = options.Value.PinIterations;
        return new PinHash(salt, Derive(pin, salt, iterations), iterations);
    }

    /// <inheritdoc />
    public bool Verify(GuardianBinding binding, string pin)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (!IsWellFormed(pin))
        {
            return false;
        }

        var candidate = Derive(pin, binding.Pin.Salt, binding.Pin.Iterations);
        return CryptographicOperations.FixedTimeEquals(candidate, binding.Pin.Hash);
    }

    private static byte[] Derive(string pin, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
