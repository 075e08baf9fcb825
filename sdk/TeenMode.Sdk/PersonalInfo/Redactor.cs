namespace TeenMode.PersonalInfo;

/// <summary>Masks personal data in text. Registered by <c>AddTeenMode</c>; log redaction resolves it from the container.</summary>
public interface IRedactor
{
    /// <summary><paramref name="text"/> with personal data and secrets masked (the same instance when nothing was masked).</summary>
    string Text(string text);
}

/// <summary>The <see cref="Redaction"/> rules as a service.</summary>
internal sealed class StandardRedactor : IRedactor
{
    /// <summary>The shared instance.</summary>
    public static StandardRedactor Instance { get; } = new();

    /// <inheritdoc />
    public string Text(string text) => Redaction.Text(text);
}
