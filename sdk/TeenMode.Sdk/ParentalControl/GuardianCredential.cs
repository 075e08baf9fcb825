namespace TeenMode.ParentalControl;

/// <summary>
/// What a guardian presents to approve an action: a credential kind (<c>pin</c>, or one the app registers such as
/// <c>face</c>, <c>fingerprint</c>, <c>os-credential</c>) and an opaque proof that the matching verifier understands.
/// </summary>
/// <param name="Kind">The credential kind.</param>
/// <param name="Proof">The PIN, or the token or assertion of the app's own verification. Never logged.</param>
public sealed record GuardianCredential(string Kind, string Proof)
{
    /// <summary>The kind of the built-in PIN verifier.</summary>
    public const string PinKind = "pin";

    /// <summary>A PIN credential.</summary>
    public static GuardianCredential Pin(string pin) => new(PinKind, pin);

    /// <summary>Keeps the proof out of logs and exception messages.</summary>
    public override string ToString() => $"GuardianCredential {{ Kind = {Kind} }}";
}

/// <summary>
/// Checks one kind of guardian credential against a binding. The app registers one per kind it supports
/// (face, fingerprint, the OS's own credential …); PIN is built in. Failed checks of every kind count toward the lockout.
/// </summary>
public interface IGuardianCredentialVerifier
{
    /// <summary>The credential kind this verifier checks, e.g. <c>face</c>.</summary>
    string Kind { get; }

    /// <summary>True when <paramref name="proof"/> proves that the guardian of <paramref name="binding"/> approves.</summary>
    ValueTask<bool> VerifyAsync(GuardianBinding binding, string proof, CancellationToken cancellationToken = default);
}

/// <summary>The default verifier: the guardian's PIN, checked by <see cref="IGuardianVerifier"/> (PBKDF2-SHA256, constant-time compare).</summary>
internal sealed class PinCredentialVerifier(IGuardianVerifier pins) : IGuardianCredentialVerifier
{
    /// <inheritdoc />
    public string Kind => GuardianCredential.PinKind;

    /// <inheritdoc />
    public ValueTask<bool> VerifyAsync(GuardianBinding binding, string proof, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(pins.Verify(binding, proof));
}
