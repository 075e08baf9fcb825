using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TeenMode.PersonalInfo;

/// <summary>Puts every registered <see cref="ILoggerProvider"/> behind <see cref="IRedactor"/>.</summary>
public static class RedactionLoggingExtensions
{
    /// <summary>
    /// Wraps every logger provider registered so far, so that messages, structured values, scopes and exception texts
    /// are redacted before any sink sees them. Call it after the last logging provider is added (e.g. last in
    /// <c>Program.cs</c>); calling it again wraps only providers added since.
    /// </summary>
    public static IServiceCollection AddTeenModeLogRedaction(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var marker = services.FirstOrDefault(d => d.ServiceType == typeof(WrappedProviders))?.ImplementationInstance as WrappedProviders;
        if (marker is null)
        {
            marker = new WrappedProviders();
            services.AddSingleton(marker);
        }

        for (var i = 0; i < services.Count; i++)
        {
            var original = services[i];
            if (original.ServiceType != typeof(ILoggerProvider) || original.IsKeyedService || marker.Descriptors.Contains(original))
            {
                continue;
            }

            var wrapped = ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
                new RedactingLoggerProvider(Create(original, sp), sp.GetService<IRedactor>() ?? StandardRedactor.Instance, ownsInner: original.ImplementationInstance is null));
            marker.Descriptors.Add(wrapped);
            services[i] = wrapped;
        }

        return services;
    }

    private static ILoggerProvider Create(ServiceDescriptor descriptor, IServiceProvider sp) => descriptor switch
    {
        { ImplementationInstance: ILoggerProvider instance } => instance,
        { ImplementationFactory: { } factory } => (ILoggerProvider)factory(sp),
        { ImplementationType: { } type } => (ILoggerProvider)ActivatorUtilities.CreateInstance(sp, type),
        _ => throw new InvalidOperationException("A logger provider registration has no implementation."),
    };

    private sealed class WrappedProviders
    {
        public HashSet<ServiceDescriptor> Descriptors { get; } = [];
    }
}

/// <summary>A logger provider that redacts everything before its inner provider sees it.</summary>
internal sealed class RedactingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ILoggerProvider _inner;
    private readonly IRedactor _redactor;
    private readonly bool _ownsInner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public RedactingLoggerProvider(ILoggerProvider inner, IRedactor redactor, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(redactor);
        _inner = inner;
        _redactor = redactor;
        _ownsInner = ownsInner;
    }

    /// <summary>The wrapped provider.</summary>
    public ILoggerProvider Inner => _inner;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(_inner.CreateLogger(categoryName), _redactor);

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (_inner is ISupportExternalScope scoped)
        {
            scoped.SetScopeProvider(new RedactingScopeProvider(scopeProvider, _redactor));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsInner)
        {
            _inner.Dispose();
        }
    }

    internal static object? RedactState(object? state, IRedactor redactor) => state switch
    {
        null => null,
        string s => redactor.Text(s),
        IReadOnlyList<KeyValuePair<string, object?>> pairs => new RedactedState(pairs, redactor.Text(state.ToString() ?? ""), redactor),
        _ => redactor.Text(state.ToString() ?? ""),
    };

    private sealed class RedactingLogger(ILogger inner, IRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(RedactState(state, redactor) ?? "");

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var message = redactor.Text(formatter(state, exception));
            var pairs = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            var redacted = new RedactedState(pairs, message, redactor);
            var safeException = exception is null ? null : new RedactedException(exception, redactor);
            inner.Log(logLevel, eventId, redacted, safeException, static (s, _) => s.ToString());
        }
    }

    private sealed class RedactingScopeProvider(IExternalScopeProvider inner, IRedactor redactor) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope((scope, s) => callback(RedactState(scope, redactor), s), state);

        public IDisposable Push(object? state) => inner.Push(RedactState(state, redactor));
    }

    /// <summary>Structured values with strings redacted; secret-named values masked.</summary>
    private sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _pairs;
        private readonly string _message;

        public RedactedState(IReadOnlyList<KeyValuePair<string, object?>> pairs, string message, IRedactor redactor)
        {
            _message = message;
            _pairs = new KeyValuePair<string, object?>[pairs.Count];
            for (var i = 0; i < pairs.Count; i++)
            {
                var (key, value) = pairs[i];
                _pairs[i] = new(key, key == "{OriginalFormat}" ? value
                    : Redaction.IsSecretField(key) ? Redaction.Mask
                    : value is null or ValueType ? value
                    : redactor.Text(value.ToString() ?? ""));
            }
        }

        public int Count => _pairs.Length;

        public KeyValuePair<string, object?> this[int index] => _pairs[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_pairs).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => _message;
    }
}

/// <summary>Stands in for a logged exception: same type name, message and stack trace text, redacted.</summary>
public sealed class RedactedException : Exception
{
    private readonly string _text;

    /// <summary>Redacts <paramref name="original"/>.</summary>
    public RedactedException(Exception original, IRedactor redactor)
        : base(redactor?.Text(original?.Message ?? "") ?? "")
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(redactor);
        OriginalType = original.GetType().FullName ?? original.GetType().Name;
        _text = redactor.Text(original.ToString());
    }

    /// <summary>Creates an empty one (for serializers).</summary>
    public RedactedException()
        : base("")
    {
        OriginalType = "";
        _text = "";
    }

    /// <summary>Creates one with a message.</summary>
    public RedactedException(string message)
        : base(message)
    {
        OriginalType = "";
        _text = message;
    }

    /// <summary>Creates one with a message and an inner exception (which is not kept: it may hold personal data).</summary>
    public RedactedException(string message, Exception innerException)
        : base(message)
    {
        _ = innerException;
        OriginalType = "";
        _text = message;
    }

    /// <summary>The full type name of the exception that was logged.</summary>
    public string OriginalType { get; }

    /// <inheritdoc />
    public override string ToString() => _text;
}
