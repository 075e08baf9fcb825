using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using TeenMode.Harness.Drivers;
using TeenMode.Harness.Running;

namespace TeenMode.Harness.Cli;

/// <summary><c>teenmode probe</c>: try every mapped action once and show what the profile sent, got and read.</summary>
internal static class ProbeCommand
{
    private const int MaxShown = 600;

    public static Command Create(Ui ui)
    {
        var target = new Option<string>("--target") { Description = "被测应用的基础 URL / base URL of the app under test", Required = true };
        var profile = new Option<string>("--profile") { Description = "应用配置文件或内置编号 / app profile file or built-in id", Required = true };
        var suite = new Option<string>("--suite") { Description = "套件（决定动作顺序与示例参数）/ suite (gives the order and sample arguments)", DefaultValueFactory = _ => Suites.SuiteLoader.DefaultSuiteId };
        var key = new Option<string?>("--conformance-key") { Description = $"一致性测试密钥（默认读取 {Cli.KeyVariable}）/ conformance key (default: ${Cli.KeyVariable})" };
        var vars = Cli.VarOption();
        var timeout = new Option<int>("--timeout") { Description = "单个请求超时秒数 / per-request timeout in seconds", DefaultValueFactory = _ => 15 };
        var command = new Command("probe", Cli.Describe(
            "逐个试用配置映射的每个动作一次（新建合成用户），打印请求、应答与提取的值 / try each mapped action once on fresh synthetic subjects and print request, response and extracted values",
            "  teenmode probe --target http://127.0.0.1:8090 --profile samples/PyFamilyApp/teenmode-profile.json --var staffToken=…"))
        {
            target, profile, suite, key, vars, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetValue(target), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                ui.Error($"--target 须为 http(s) 绝对 URL / --target must be an absolute http(s) URL: '{parse.GetValue(target)}'");
                return ExitCodes.UsageError;
            }

            if (!Cli.TryLoad(ui, parse.GetValue(suite)!, parse.GetValue(profile)!, out var loadedSuite, out var loadedProfile)
                || !Cli.TryVariables(ui, parse, vars, key, loadedProfile, out var variables))
            {
                return ExitCodes.UsageError;
            }

            using var client = Cli.NewClient();
            var driver = new HttpDriver(client, uri, loadedProfile, variables, new HttpDriverOptions { RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)), TransportRetries = 0 });
            var failures = 0;
            var unreachable = false;
            await ProfileProbe.RunAsync(loadedSuite, loadedProfile, driver, "probe-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)), step =>
            {
                Print(ui, step);
                if (step.Result.Error is { } error)
                {
                    failures++;
                    unreachable |= error.IsTransport && step.Action == "info";
                }
            }, ct);

            ui.Out(failures == 0
                ? "每个动作都得到了可读取的应答；请核对上面提取的值 / every action got an answer the profile could read; check the extracted values above"
                : string.Create(CultureInfo.InvariantCulture, $"{failures} 个动作出错 / {failures} action(s) failed: fix the profile (or the target) before a full run"));
            return unreachable ? ExitCodes.Incomplete : failures == 0 ? 0 : ExitCodes.NonConformant;
        });
        return command;
    }

    private static void Print(Ui ui, ProbeStep step)
    {
        ui.Out($"== {step.Action}  {Masked(step.Args).ToString(Formatting.None)}");
        foreach (var e in step.Result.Exchanges)
        {
            var status = e.Status?.ToString(CultureInfo.InvariantCulture) ?? "—";
            ui.Out(string.Create(CultureInfo.InvariantCulture, $"   {e.Method} {e.Path} → {status} ({e.DurationMs} ms)"));
            if (e.RequestBody is not null)
            {
                ui.Out("     → " + Cut(e.RequestBody.ToString(Formatting.None)));
            }

            if (e.ResponseBody is not null)
            {
                ui.Out("     ← " + Cut(e.ResponseBody.Type == JTokenType.String ? (string)e.ResponseBody! : e.ResponseBody.ToString(Formatting.None)));
            }
        }

        ui.Out("   结果 / result: " + Cut(Masked(step.Result.Fields).ToString(Formatting.None)));
        if (step.Result.Error is { } error)
        {
            ui.Out($"   错误 / error ({error.Kind}): {error.Message}");
        }
    }

    // Credentials by field name, and identity numbers, phone numbers and e-mail addresses inside any text.
    private static JToken Masked(JObject fields) => Evidence.Json(fields)!;

    private static readonly Redactor Evidence = new();

    private static string Cut(string text) => text.Length <= MaxShown ? text : text[..MaxShown] + "…";
}
