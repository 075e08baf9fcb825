namespace TeenMode.AgeAssurance;

/// <summary>
/// The outcome of checking a resident identity number: <see cref="ReasonCode.Allowed"/> and the birth date when it is
/// well formed, otherwise the first check that failed. Never carries the number itself, so it is safe to log.
/// </summary>
/// <param name="Reason">Allowed, or one of the identity-number reason codes.</param>
/// <param name="BirthDate">The birth date in the number; null unless <see cref="IsValid"/>.</param>
public sealed record IdentityNumberCheck(ReasonCode Reason, DateOnly? BirthDate)
{
    /// <summary>True when every check passed.</summary>
    public bool IsValid => Reason == ReasonCode.Allowed;
}

/// <summary>
/// PRC resident identity number (公民身份号码, GB 11643): 6-digit region code, 8-digit birth date yyyyMMdd,
/// 3-digit sequence and an ISO 7064 MOD 11-2 check character (0-9 or X). A pure format check: it says nothing about
/// whether the number was issued or belongs to the user (that is the real-name provider's job).
/// </summary>
public static class ResidentIdentityNumber
{
    /// <summary>The length of a second-generation number.</summary>
    public const int Length = 18;

    private const int BodyLength = Length - 1;

    // ISO 7064 MOD 11-2: modulus and radix of the check character computation.
    private const int Modulus = 11;
    private const int Radix = 2;

    // Birth dates before this year are not plausible for a living holder; the standard's century range starts here.
    private const int FirstBirthYear = 1900;

    // Province-level prefixes of GB/T 2260 (administrative division codes): a format table of the standard, not a
    // regulatory number. 71 Taiwan, 81 Hong Kong, 82 Macao; 83 is used for residence permits of Taiwan residents.
    private static ReadOnlySpan<byte> ProvinceCodes =>
    [
        11, 12, 13, 14, 15,
        21, 22, 23,
        31, 32, 33, 34, 35, 36, 37,
        41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54,
        61, 62, 63, 64, 65,
        71, 81, 82, 83,
    ];

    /// <summary>
    /// Checks <paramref name="text"/> in this order: malformed, region, birth date, birth date after
    /// <paramref name="today"/>, check character. Whitespace is not trimmed (it is malformed); a lowercase x is read as X.
    /// </summary>
    public static IdentityNumberCheck Validate(string? text, DateOnly today)
    {
        if (text is not { Length: Length } || !IsAsciiDigits(text.AsSpan(0, BodyLength)) || !IsCheckCharacter(text[BodyLength]))
        {
            return new IdentityNumberCheck(ReasonCode.IdentityNumberMalformed, null);
        }

        var province = (Digit(text, 0) * 10) + Digit(text, 1);
        if (!ProvinceCodes.Contains((byte)province))
        {
            return new IdentityNumberCheck(ReasonCode.IdentityNumberRegion, null);
        }

        if (!TryReadBirthDate(text.AsSpan(6, 8), out var birthDate))
        {
            return new IdentityNumberCheck(ReasonCode.IdentityNumberBirthDate, null);
        }

        if (birthDate > today)
        {
            return new IdentityNumberCheck(ReasonCode.IdentityNumberBirthDateFuture, null);
        }

        var expected = ComputeCheckCharacter(text.AsSpan(0, BodyLength));
        return char.ToUpperInvariant(text[BodyLength]) == expected
            ? new IdentityNumberCheck(ReasonCode.Allowed, birthDate)
            : new IdentityNumberCheck(ReasonCode.IdentityNumberCheckCharacter, null);
    }

    /// <summary>The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the first 17 digits of a number.</summary>
    /// <exception cref="ArgumentException"><paramref name="first17"/> is not 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        // The message never echoes the input: it may be a real person's number.
        return TryComputeCheckCharacter(first17, out var check)
            ? check
            : throw new ArgumentException("Expected 17 ASCII digits. / 须为 17 位数字。", nameof(first17));
    }

    /// <summary>False when <paramref name="first17"/> is not 17 ASCII digits.</summary>
    internal static bool TryComputeCheckCharacter(ReadOnlySpan<char> first17, out char check)
    {
        check = default;
        if (first17.Length != BodyLength || !IsAsciiDigits(first17))
        {
            return false;
        }

        // Weight of position i (0-based from the left) is 2^(17-i) mod 11: start at the rightmost digit with 2^1.
        var sum = 0;
        var weight = Radix % Modulus;
        for (var i = BodyLength - 1; i >= 0; i--)
        {
            sum += (first17[i] - '0') * weight;
            weight = weight * Radix % Modulus;
        }

        // The check value c makes (sum + c) ≡ 1 (mod 11); 10 is written X.
        var value = (Modulus + 1 - (sum % Modulus)) % Modulus;
        check = value == 10 ? 'X' : (char)('0' + value);
        return true;
    }

    private static bool TryReadBirthDate(ReadOnlySpan<char> yyyyMMdd, out DateOnly date)
    {
        date = default;
        var year = Number(yyyyMMdd[..4]);
        var month = Number(yyyyMMdd.Slice(4, 2));
        var day = Number(yyyyMMdd.Slice(6, 2));
        if (year < FirstBirthYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static int Digit(string text, int index) => text[index] - '0';

    private static bool IsAsciiDigits(ReadOnlySpan<char> span) => !span.ContainsAnyExceptInRange('0', '9');

    private static bool IsCheckCharacter(char c) => char.IsAsciiDigit(c) || c is 'X' or 'x';
}
