namespace TeenMode.ParentalControl;

/// <summary>
/// One-time binding codes: the minor's side creates one, the guardian's side redeems it with their own credential.
/// Only a hash of the code is stored.
/// </summary>
public interface IGuardianBindingCodeStore
{
    /// <summary>Stores a code (as its hash) for the subject until <paramref name="expiresAt"/>.</summary>
    Task SaveBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically removes the subject's code with this hash and returns true when it existed and had not expired at
    /// <paramref name="now"/>. A code can be redeemed once, even by two devices at the same moment.
    /// </summary>
    Task<bool> TryConsumeBindingCodeAsync(string subjectId, byte[] codeHash, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>The result of starting a binding on the minor's side.</summary>
/// <param name="Decision">Allowed, or why not (e.g. unknown subject).</param>
/// <param name="Code">The one-time code to show to the guardian; null when denied.</param>
/// <param name="ExpiresAt">When the code stops working; null when denied.</param>
public sealed record GuardianBindingStart(Decision Decision, string? Code, DateTimeOffset? ExpiresAt)
{
    /// <summary>Hides the code from logs.</summary>
    public override string ToString() => $"GuardianBindingStart {{ Outcome = {Decision.Outcome}, ExpiresAt = {ExpiresAt} }}";
}
