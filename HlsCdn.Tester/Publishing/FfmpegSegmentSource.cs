using System.Diagnostics;
using System.Runtime.CompilerServices;
using HlsCdn.Processes;

namespace HlsCdn.Tester.Publishing;

/// <summary>
/// Runs ffmpeg as a live encoder into a temporary directory. The segment muxer prints <c>name,start,end</c> on stdout
/// once a segment file is complete and closed; the source then reads the file, deletes it and yields it.
/// </summary>
public sealed class FfmpegSegmentSource : ISegmentSource
{
    private const int StderrLinesKept = 20;
    /// <summary>Starts ffmpeg with a parent-death signal from a thread that lives as long as the tester.</summary>
    private static readonly ChildProcessLauncher Launcher = new();

    private readonly string _ffmpeg;
    private readonly EncodeSettings _settings;
    private readonly Queue<string> _stderr = new();
    private readonly Lock _stderrGate = new();
    private Process? _process;
    private string? _directory;

    /// <summary>Creates the source; ffmpeg starts when enumeration starts.</summary>
    public FfmpegSegmentSource(string ffmpegPath, EncodeSettings settings)
    {
        _ffmpeg = ffmpegPath;
        _settings = settings;
        var renditions = settings.Renditions is { Count: > 0 } list
            ? $" into {list.Count} renditions ({string.Join(", ", list.Select(r => $"{r.Width}x{r.Height} {r.Kbps}k"))}, x264 {FfmpegCommand.RenditionPreset}, aligned segments)"
            : string.Empty;
        Description = (settings.VideoFile is null
            ? $"test pattern {settings.Width}x{settings.Height}@{settings.FrameRate} with the wall clock, 1 kHz tone (ffmpeg)"
            : $"{Path.GetFileName(settings.VideoFile)} in a loop (ffmpeg)") + renditions;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public DateTimeOffset StartedAt { get; private set; }

    /// <inheritdoc />
    public async IAsyncEnumerable<MediaSegment> ReadSegmentsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        _directory = Directory.CreateTempSubdirectory("hlscdn-tester-").FullName;
        StartedAt = DateTimeOffset.UtcNow;
        var start = new ProcessStartInfo(_ffmpeg)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in FfmpegCommand.BuildArguments(_settings, _directory, StartedAt))
        {
            start.ArgumentList.Add(argument);
        }

        // ffmpeg ignores SIGPIPE and goes on encoding when the tester dies: start it tied to the tester's life.
        Process process;
        try
        {
            process = await Launcher.StartAsync(start).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"ffmpeg ({_ffmpeg}) could not be started: {ex.Message}", ex);
        }

        process.ErrorDataReceived += (_, e) => KeepStderr(e.Data);
        _process = process;
        process.BeginErrorReadLine();
        var sequences = new long[Math.Max(1, _settings.Renditions?.Count ?? 1)];
        while (true)
        {
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (line is null)
            {
                break;
            }

            var closedAt = DateTimeOffset.UtcNow;
            if (SegmentListEntry.TryParse(line) is not { } entry)
            {
                continue;
            }

            var path = Path.Combine(_directory, Path.GetFileName(entry.FileName));
            var data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            File.Delete(path);
            if (data.Length == 0)
            {
                continue;
            }

            var rendition = Math.Clamp(FfmpegCommand.RenditionOf(entry.FileName), 0, sequences.Length - 1);
            var sequence = sequences[rendition]++;
            var duration = sequence == 0 ? SegmentDuration.OfFirst(data, entry.Duration) : entry.Duration;
            yield return new MediaSegment(sequence, data, duration, TimeSpan.FromSeconds(entry.End), closedAt, rendition);
        }

        // stdout closed: ffmpeg exited (or is exiting) on its own.
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        if (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"ffmpeg exited with code {process.ExitCode}: {LastError()}");
        }
    }

    /// <summary>Stops ffmpeg and deletes the temporary directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
            }

            process.Dispose();
            _process = null;
        }

        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }

            _directory = null;
        }
    }

    private void KeepStderr(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        lock (_stderrGate)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLinesKept)
            {
                _stderr.Dequeue();
            }
        }
    }

    private string LastError()
    {
        lock (_stderrGate)
        {
            return _stderr.Count == 0 ? "(no message)" : string.Join(" | ", _stderr.TakeLast(3));
        }
    }
}
