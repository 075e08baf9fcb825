namespace TeenMode.Reporting;

/// <summary>Kebab-case names of enum values, as used in rule packs, audit details and metric tags (<c>OtherUser</c> → <c>other-user</c>).</summary>
internal static class Kebab
{
    public static string Of<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var chars = new List<char>(name.Length + 4);
        foreach (var ch in name)
        {
            if (char.IsUpper(ch) && chars.Count > 0)
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(ch));
        }

        return new string([.. chars]);
    }
}
