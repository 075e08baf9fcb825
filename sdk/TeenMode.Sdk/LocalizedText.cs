namespace TeenMode;

/// <summary>User-facing text in Simplified Chinese and English.</summary>
/// <param name="ZhCn">Simplified Chinese (zh-CN).</param>
/// <param name="En">English.</param>
public sealed record LocalizedText(string ZhCn, string En)
{
    /// <inheritdoc />
    public override string ToString() => $"{ZhCn} / {En}";
}
