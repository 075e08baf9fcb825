using System.CommandLine;
using TeenMode.Harness.Gating;

namespace TeenMode.Harness.Cli;

/// <summary>What the gate needs from the command line.</summary>
internal sealed record GateSettings(string FailOn, IReadOnlyList<Waiver> Waivers, string? SigningKeyPem);

/// <summary>The options shared by <c>run</c> and <c>demo</c>: <c>--fail-on</c>, <c>--waivers</c>, <c>--sign</c>.</summary>
internal sealed class GateOptions
{
    private readonly Option<string> _failOn = new("--fail-on")
    {
        Description = "此严重性及以上的失败会使退出码为 1 / failures at or above this severity exit 1 (critical, major, minor)",
        DefaultValueFactory = _ => "minor",
    };

    private readonly Option<string?> _waivers = new("--waivers") { Description = "豁免文件（JSON）/ waivers file (JSON)" };

    private readonly Option<string?> _sign = new("--sign") { Description = "用此 PEM 私钥为报告签名 / sign the reports with this PEM private key" };

    public GateOptions() => _failOn.AcceptOnlyFromAmong([.. Severities.All]);

    public void AddTo(Command command)
    {
        command.Options.Add(_failOn);
        command.Options.Add(_waivers);
        command.Options.Add(_sign);
    }

    public bool TryRead(Ui ui, ParseResult parse, out GateSettings settings)
    {
        settings = new GateSettings(parse.GetValue(_failOn)!, [], null);
        IReadOnlyList<Waiver> waivers = [];
        if (parse.GetValue(_waivers) is { } file)
        {
            try
            {
                waivers = WaiverLoader.Load(file);
            }
            catch (TeenModeConfigurationException ex)
            {
                ui.ConfigErrors(ex);
                return false;
            }
        }

        string? pem = null;
        if (parse.GetValue(_sign) is { } keyFile)
        {
            try
            {
                pem = File.ReadAllText(keyFile);

                // Refuse a bad key before the run, not after it.
                Trust.ReportSigner.EnsurePrivateKey(pem);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                ui.Error($"--sign {keyFile}: 不是可用的 PEM 私钥 / not a usable PEM private key: {ex.Message}");
                return false;
            }
        }

        settings = settings with { Waivers = waivers, SigningKeyPem = pem };
        return true;
    }
}
