using TeenMode;
using TeenMode.AspNetCore;
using TeenMode.AspNetCore.Conformance;

namespace ShortVideoApp;

/// <summary>The sample's reporting wiring (issue 6): authority sink and background delivery.</summary>
public static partial class ShortVideoAppHost
{
    private static void ConfigureReporting(ITeenModeBuilder teenMode, ShortVideoAppOptions options)
    {
        if (options.AuthoritySinkUrl is { } url)
        {
            teenMode.UseAuthorityWebhook(o =>
            {
                o.Url = url;
                o.Secret = options.AuthoritySinkSecret;
            });
        }
        else if (options.ConformanceKey is not null)
        {
            teenMode.UseConformanceRecordingSink();
        }

        teenMode.AddAuthorityNoticeDispatcher(options.AuthorityDispatch);
    }
}
