namespace HlsCdn.Tester.Bench;

/// <summary>
/// The line that shows a run's progress: rewritten in place (carriage return) on a terminal, one line per update
/// otherwise. Written to the error stream, so <c>--json</c> output stays clean.
/// </summary>
public sealed class ProgressLine(TextWriter writer, bool inPlace)
{
    private int _lastLength;

    /// <summary>A progress line on the console's error stream, in place when it is a terminal.</summary>
    public static ProgressLine ForConsole(TextWriter? writer) =>
        writer is null ? new ProgressLine(Console.Error, !Console.IsErrorRedirected) : new ProgressLine(writer, false);

    /// <summary>Shows <paramref name="text"/>.</summary>
    public void Show(string text)
    {
        if (inPlace)
        {
            writer.Write('\r' + text.PadRight(_lastLength));
            _lastLength = text.Length;
        }
        else
        {
            writer.WriteLine(text);
        }

        writer.Flush();
    }

    /// <summary>Ends the line (on a terminal) before the report is printed.</summary>
    public void Done()
    {
        if (inPlace && _lastLength > 0)
        {
            writer.WriteLine();
            _lastLength = 0;
        }
    }

    /// <summary>Calls <paramref name="status"/> and shows it every <paramref name="period"/> until <paramref name="until"/> completes.</summary>
    public async Task RunAsync(Task until, Func<string> status, TimeSpan period)
    {
        while (await Task.WhenAny(until, Task.Delay(period)).ConfigureAwait(false) != until)
        {
            Show(status());
        }
    }
}
