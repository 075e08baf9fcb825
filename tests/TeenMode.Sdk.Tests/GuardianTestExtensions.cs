using TeenMode.ParentalControl;

namespace TeenMode.Tests;

/// <summary>Both sides of a guardian binding in one call, for tests that are about something else.</summary>
internal static class GuardianTestExtensions
{
    public static async Task<Decision> BindAsync(this IParentalControl parental, string subjectId, string guardianId, string pin, string? existingGuardianPin = null)
    {
        var start = await parental.StartGuardianBindingAsync(subjectId);
        return await parental.BindGuardianAsync(subjectId, guardianId, pin, start.Code,
            existingGuardianPin is null ? null : GuardianCredential.Pin(existingGuardianPin));
    }
}
