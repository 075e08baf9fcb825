namespace TeenMode.ParentalControl;

/// <summary>A guardian bound to a subject, with the guardian's PIN stored as a PBKDF2-SHA256 hash.</summary>
public sealed record GuardianBinding(string SubjectId, string GuardianId, PinHash Pin, DateTimeOffset BoundAt);

/// <summary>A salted PBKDF2-SHA256 hash of a PIN. Never holds the PIN itself.</summary>
public sealed record PinHash(byte[] Salt, byte[] Hash, int Iterations);
