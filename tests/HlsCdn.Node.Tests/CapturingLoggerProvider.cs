using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HlsCdn.Node.Tests;

/// <summary>Keeps every log line a node writes (formatted, with its exception), for assertions on what is logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, EventId EventId, string Text)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, eventId, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
