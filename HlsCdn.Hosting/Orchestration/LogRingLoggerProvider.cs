using Microsoft.Extensions.Logging;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>Writes an in-process component's log (Garnet's) to a resource's console lines.</summary>
internal sealed class LogRingLoggerProvider(LogRing ring) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RingLogger(ring);

    public void Dispose()
    {
    }

    private sealed class RingLogger(LogRing ring) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, exception);
            if (exception is not null)
            {
                text += " " + exception.Message;
            }

            ring.Add($"{logLevel}: {text}", logLevel >= LogLevel.Warning);
        }
    }
}
