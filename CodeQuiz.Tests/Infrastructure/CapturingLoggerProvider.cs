using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>Keeps every log entry, with its exception, for tests that read what the app wrote.</summary>
sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception) + (state is IEnumerable<KeyValuePair<string, object?>> values ? " " + string.Join(" ", values.Select(v => $"{v.Key}={v.Value}")) : "")
                + (exception is null ? "" : "\n" + exception);
            provider.Entries.Enqueue((category, logLevel, text));
        }
    }
}
