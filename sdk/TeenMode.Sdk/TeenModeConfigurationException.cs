namespace TeenMode;

/// <summary>
/// Thrown when configuration or seed data (rule pack, suite, catalog) is invalid.
/// Its message names the file, line and column of every problem.
/// </summary>
public class TeenModeConfigurationException : Exception
{
    public TeenModeConfigurationException()
    {
    }

    public TeenModeConfigurationException(string message)
        : base(message)
    {
    }

    public TeenModeConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from located problems.</summary>
    public TeenModeConfigurationException(IReadOnlyList<SeedError> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every located problem; empty when the message alone tells it.</summary>
    public IReadOnlyList<SeedError> Errors { get; } = [];
}

/// <summary>One problem in a seed file, located by line and column (1-based; 0 when unknown).</summary>
public sealed record SeedError(string File, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
