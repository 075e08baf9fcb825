using System.Globalization;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace TeenMode.Harness.Scripting;

/// <summary>An expression in a profile could not be evaluated (syntax, runtime error, limit reached).</summary>
public sealed class ScriptException : Exception
{
    public ScriptException()
    {
    }

    public ScriptException(string message)
        : base(message)
    {
    }

    public ScriptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Evaluates the small JavaScript expressions of a format-2 profile with Jint: strict mode, no host access
/// (no CLR, no modules, no timers), and per-evaluation limits on time, memory, recursion and statements.
/// Values cross the boundary as JSON only, so an expression can never reach a .NET object.
/// </summary>
public sealed class ScriptSandbox
{
    /// <summary>Wall time one evaluation may take: generous, as a loaded CI machine is slow, but bounded.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Bytes one evaluation may allocate.</summary>
    public const long MemoryLimit = 4_000_000;

    /// <summary>Call depth one evaluation may reach.</summary>
    public const int RecursionLimit = 64;

    /// <summary>Statements one evaluation may run.</summary>
    public const int StatementLimit = 10_000;

    private readonly TimeLibrary _library;

    /// <summary>Creates a sandbox whose <c>tm</c> library uses <paramref name="library"/>.</summary>
    public ScriptSandbox(TimeLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        _library = library;
    }

    /// <summary>Checks that <paramref name="expression"/> parses; returns the parser's message otherwise.</summary>
    public static string? SyntaxError(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        try
        {
            _ = new Acornima.Parser().ParseScript("(" + expression + "\n)", strict: true);
            return null;
        }
        catch (Acornima.ParseErrorException ex)
        {
            return ex.Description;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> with <paramref name="scope"/> as global variables.</summary>
    /// <returns>The value as JSON; <c>undefined</c> comes back as a token of type <see cref="JTokenType.Undefined"/>.</returns>
    /// <exception cref="ScriptException">The expression failed or hit a limit.</exception>
    public JToken Evaluate(string expression, IReadOnlyDictionary<string, JToken> scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        var engine = new Engine(options => options
            .Strict()
            .LimitMemory(MemoryLimit)
            .TimeoutInterval(Timeout)
            .LimitRecursion(RecursionLimit)
            .MaxStatements(StatementLimit));
        try
        {
            var parser = new JsonParser(engine);
            foreach (var (name, value) in Nest(scope))
            {
                engine.SetValue(name, parser.Parse(value.ToString(Formatting.None)));
            }

            _library.Install(engine);
            var result = engine.Evaluate("(" + expression + "\n)");
            if (result.IsUndefined())
            {
                return JValue.CreateUndefined();
            }

            var json = new Jint.Native.Json.JsonSerializer(engine).Serialize(result);
            return json.IsString() ? ParseJson(json.AsString()) : JValue.CreateNull();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ScriptException($"表达式出错 / expression '{expression}' failed: {Describe(ex)}", ex);
        }
    }

    // "subject.token" in the scope becomes subject = { token: … } in JavaScript.
    private static Dictionary<string, JToken> Nest(IReadOnlyDictionary<string, JToken> scope)
    {
        var globals = new Dictionary<string, JToken>(StringComparer.Ordinal);
        foreach (var (name, value) in scope)
        {
            var parts = name.Split('.');
            if (parts.Length == 1)
            {
                globals[name] = value;
                continue;
            }

            if (!globals.TryGetValue(parts[0], out var node) || node is not JObject obj)
            {
                obj = new JObject();
                globals[parts[0]] = obj;
            }

            for (var i = 1; i < parts.Length - 1; i++)
            {
                if (obj[parts[i]] is not JObject child)
                {
                    child = new JObject();
                    obj[parts[i]] = child;
                }

                obj = child;
            }

            obj[parts[^1]] = value;
        }

        return globals;
    }

    private static JToken ParseJson(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        return Integers(JToken.ReadFrom(reader));
    }

    // JavaScript has one number type; whole numbers come back as integers so they compare equal to the suite's.
    private static JToken Integers(JToken token)
    {
        switch (token)
        {
            case JValue { Type: JTokenType.Float, Value: decimal d } when d == decimal.Truncate(d) && Math.Abs(d) < long.MaxValue:
                return new JValue((long)d);
            case JContainer container:
                foreach (var child in container.Children().ToList())
                {
                    if (child is JProperty p)
                    {
                        p.Value = Integers(p.Value);
                    }
                    else if (child is JValue v && Integers(v) is var replaced && !ReferenceEquals(replaced, v))
                    {
                        v.Replace(replaced);
                    }
                    else
                    {
                        Integers(child);
                    }
                }

                return container;
            default:
                return token;
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        Jint.Runtime.JavaScriptException js => js.Error.ToString(),
        ScriptException => ex.Message,
        TimeoutException => string.Create(CultureInfo.InvariantCulture, $"took longer than {Timeout.TotalMilliseconds} ms"),
        Jint.Runtime.MemoryLimitExceededException => $"allocated more than {MemoryLimit} bytes",
        Jint.Runtime.RecursionDepthOverflowException => $"recursed deeper than {RecursionLimit}",
        Jint.Runtime.StatementsCountOverflowException => $"ran more than {StatementLimit} statements",
        _ => ex.Message,
    };
}
