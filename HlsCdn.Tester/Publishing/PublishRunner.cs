using System.Globalization;
using System.Threading.Channels;
using HlsCdn.Client;
using HlsCdn.Protocol;

namespace HlsCdn.Tester.Publishing;

/// <summary>
/// The <c>publish</c> command: connects a <see cref="StreamPublisher"/>, starts the segment source (ffmpeg, or the
/// pre-encoded clip), pushes each segment as soon as it is complete, and sends <c>CLOSE</c> when cancelled or when the
/// duration has elapsed. Segments wait in a short queue while the publisher reconnects; when it is full the oldest
/// is dropped (this is live video: stale segments are worth less than fresh ones).
/// </summary>
public sealed class PublishRunner
{
    /// <summary>Exit code for success.</summary>
    public const int Success = 0;

    /// <summary>Exit code for a failure at run time (node unreachable, token refused, ffmpeg failed, ...).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for invalid settings.</summary>
    public const int UsageError = 2;

    private const int QueuedSegments = 4;

    private readonly TextWriter _out;
    private readonly TextWriter _error;

    /// <summary>Creates a runner writing progress to <paramref name="output"/> and errors (one line each) to <paramref name="error"/>.</summary>
    public PublishRunner(TextWriter output, TextWriter error)
    {
        _out = TextWriter.Synchronized(output);
        _error = TextWriter.Synchronized(error);
    }

    /// <summary>Raised when the publisher has connected and the source is about to start (tests wait for it).</summary>
    public event EventHandler? Started;

    /// <summary>Raised after each segment was pushed (tests check whether the source delivered steadily).</summary>
    public event EventHandler<SegmentPushedEventArgs>? SegmentPushed;

    /// <summary>Segments pushed so far.</summary>
    public long SegmentsSent => Interlocked.Read(ref _segmentsSent);

    /// <summary>
    /// The smallest delay seen between a segment's end on the burned-in clock (source start + stream time, the wall-clock
    /// time at which its last frame's display interval ends) and its push: the encoder's and segmenter's share of the
    /// end-to-end delay.
    /// </summary>
    public TimeSpan? SmallestPushLag { get; private set; }

    private long _segmentsSent;
    private long _segmentsDropped;

    /// <summary>Validates the settings; returns the one-line problem or null.</summary>
    public static string? Validate(PublishSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Urls.Count == 0)
        {
            return "at least one --url is required";
        }

        foreach (var url in settings.Urls)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != "ws" && url.Scheme != "wss"))
            {
                return $"--url '{url}' is not a ws:// or wss:// URL";
            }
        }

        if (!StreamIds.IsValid(settings.StreamId))
        {
            return $"--stream must be 1 to {ProtocolLimits.MaxStreamIdLength} characters without control characters";
        }

        if (!string.IsNullOrEmpty(settings.PushSecret) && !string.IsNullOrEmpty(settings.Token))
        {
            return "give either --secret or --token, not both";
        }

        if (settings.VideoFile is not null && !File.Exists(settings.VideoFile))
        {
            return $"video file '{settings.VideoFile}' not found";
        }

        if (!(settings.SegmentSeconds is >= 0.2 and <= 10))
        {
            return "--segment-seconds must be between 0.2 and 10";
        }

        if (settings.Duration is { } d && d <= TimeSpan.Zero)
        {
            return "--duration must be positive";
        }

        if (settings.Renditions is { Count: > 0 })
        {
            if (settings.UseClip)
            {
                return "--renditions needs ffmpeg: it cannot be combined with --clip";
            }

            if (!string.IsNullOrEmpty(settings.Token))
            {
                return "--renditions pushes one stream per rendition, each with its own token: use --secret, not --token";
            }

            foreach (var id in settings.StreamIds)
            {
                if (!StreamIds.IsValid(id))
                {
                    return $"--stream is too long for --renditions: '{id}' exceeds {ProtocolLimits.MaxStreamIdLength} characters";
                }
            }
        }

        return null;
    }

    /// <summary>Parses a <c>--url</c> value; null when it is not an absolute ws:// or wss:// URL.</summary>
    public static Uri? ParseNodeUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == "ws" || url.Scheme == "wss") ? url : null;

    /// <summary>Publishes until <paramref name="cancellationToken"/> is cancelled or the duration elapses; returns the exit code.</summary>
    public async Task<int> RunAsync(PublishSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (Validate(settings) is { } problem)
        {
            return Fail(UsageError, problem);
        }

        ISegmentSource source;
        var ffmpeg = settings.UseClip ? null : FfmpegCommand.Locate();
        if (ffmpeg is not null)
        {
            var font = File.Exists(FfmpegCommand.DefaultFontFile) ? FfmpegCommand.DefaultFontFile : null;
            source = new FfmpegSegmentSource(ffmpeg, Encoding(settings, font));
        }
        else if (settings.Renditions is { Count: > 0 })
        {
            return Fail(Failure, "ffmpeg is needed for --renditions but was not found on the PATH (install ffmpeg)");
        }
        else if (settings.VideoFile is not null)
        {
            return Fail(Failure, "ffmpeg is needed to encode --video but was not found on the PATH (install ffmpeg, or omit --video to loop the built-in clip)");
        }
        else
        {
            source = new ClipSegmentSource(settings.UseClip ? "--clip" : "ffmpeg not found on the PATH");
        }

        await using var sourceScope = source.ConfigureAwait(false);
        var streamIds = settings.StreamIds;
        var publishers = new List<StreamPublisher>(streamIds.Count);
        foreach (var streamId in streamIds)
        {
            var one = new StreamPublisher(new StreamPublisherOptions
            {
                Urls = settings.Urls,
                StreamId = streamId,
                PushSecret = string.IsNullOrEmpty(settings.PushSecret) ? null : settings.PushSecret,
                Token = string.IsNullOrEmpty(settings.Token) ? null : settings.Token,
                Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(250), Max = TimeSpan.FromSeconds(5) },
            });
            var label = streamIds.Count > 1 ? streamId : null;
            one.StateChanged += (_, e) => OnStateChanged(e, label);
            publishers.Add(one);
        }

        try
        {
            return await RunAsync(settings, source, publishers, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var one in publishers)
            {
                await one.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static EncodeSettings Encoding(PublishSettings settings, string? font)
    {
        if (settings.Renditions is not { Count: > 0 } renditions)
        {
            return new EncodeSettings(settings.VideoFile, settings.SegmentSeconds, FontFile: font);
        }

        // The clock is burned in once, at the largest rendition's size when the overlay fits there (else 640x360), then scaled.
        var top = renditions.MaxBy(r => r.Width * r.Height)!;
        var (width, height) = top.Width >= ClockOverlay.MinimumWidth && top.Height >= 120 ? (top.Width, top.Height) : (640, 360);
        return new EncodeSettings(settings.VideoFile, settings.SegmentSeconds, width, height, PublishSettings.FrameRate, font, renditions);
    }

    private async Task<int> RunAsync(PublishSettings settings, ISegmentSource source, List<StreamPublisher> publishers, CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(publishers.Select(p => p.ConnectAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Success;
        }
        catch (StreamProtocolException ex)
        {
            return Fail(Failure, Describe(ex));
        }
        catch (StreamConnectionException ex)
        {
            return Fail(Failure, $"cannot publish to {string.Join(", ", settings.Urls)}: {ex.Message}");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Duration is { } duration)
        {
            stop.CancelAfter(duration);
        }

        var names = publishers.Count > 1 ? string.Join(", ", settings.StreamIds) : settings.StreamId;
        _out.WriteLine($"publishing {names}: {source.Description}, {settings.SegmentSeconds.ToString(CultureInfo.InvariantCulture)} s segments; Ctrl+C sends CLOSE and stops");
        Started?.Invoke(this, EventArgs.Empty);

        var queue = Channel.CreateBounded<MediaSegment>(
            new BoundedChannelOptions(QueuedSegments * publishers.Count) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            dropped => Interlocked.Increment(ref _segmentsDropped));
        var produce = ProduceAsync(source, queue.Writer, stop.Token);
        var result = Success;
        try
        {
            await foreach (var segment in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var publisher = publishers[Math.Clamp(segment.Rendition, 0, publishers.Count - 1)];
                try
                {
                    await publisher.SendFragmentAsync(segment.Data, segment.Duration, stop.Token).ConfigureAwait(false);
                }
                catch (StreamConnectionException ex)
                {
                    // The publisher keeps reconnecting; this segment is lost, the next ones follow.
                    _error.WriteLine($"segment {segment.Sequence} not delivered: {ex.Message}");
                    continue;
                }

                Interlocked.Increment(ref _segmentsSent);
                var end = source.StartedAt + segment.StreamEnd;
                var lag = DateTimeOffset.UtcNow - end;
                SmallestPushLag = SmallestPushLag is { } smallest && smallest < lag ? smallest : lag;
                SegmentPushed?.Invoke(this, new SegmentPushedEventArgs(segment, lag));
                var closed = segment.ClosedAt is { } closedAt ? string.Create(CultureInfo.InvariantCulture, $"closed {(closedAt - end).TotalMilliseconds:0} ms, ") : string.Empty;
                var rendition = publishers.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" [{settings.Renditions![segment.Rendition].Width}x{settings.Renditions[segment.Rendition].Height}]") : string.Empty;
                _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"segment {segment.Sequence}{rendition}: {segment.Data.Length / 1024.0:0} KiB, {segment.Duration.TotalSeconds:0.000} s, {closed}pushed {lag.TotalMilliseconds:0} ms after its end on the capture clock"));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (StreamProtocolException ex)
        {
            result = Fail(Failure, Describe(ex));
        }

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await produce.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            result = Fail(Failure, ex.Message);
        }

        await source.DisposeAsync().ConfigureAwait(false);
        if (result == Success)
        {
            await Task.WhenAll(publishers.Select(p => p.CloseAsync(CancellationToken.None))).ConfigureAwait(false);
        }

        _out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stopped: {SegmentsSent} segments pushed, {Interlocked.Read(ref _segmentsDropped)} dropped while the node was unreachable, {publishers.Sum(p => p.Reconnects)} reconnects{(result == Success ? ", CLOSE sent" : string.Empty)}"));
        return result;
    }

    private static async Task ProduceAsync(ISegmentSource source, ChannelWriter<MediaSegment> writer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var segment in source.ReadSegmentsAsync(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private static string Describe(StreamProtocolException ex) => ex.Code switch
    {
        ErrorCodes.AuthError => $"the node rejected the token (AUTH_ERROR{Suffix(ex.Message)})",
        ErrorCodes.PushError => $"another publisher took the stream over (PUSH_ERROR{Suffix(ex.Message)})",
        _ => $"the node refused the push ({ex.Code}{Suffix(ex.Message)})",
    };

    private static string Suffix(string message) => string.IsNullOrWhiteSpace(message) ? string.Empty : ": " + message;

    private void OnStateChanged(StreamConnectionStateChangedEventArgs e, string? streamId)
    {
        var of = streamId is null ? string.Empty : $" ({streamId})";
        switch (e.State)
        {
            case StreamConnectionState.Connected:
                _out.WriteLine($"connected to {Redact(e.Url)}{of}");
                break;
            case StreamConnectionState.Reconnecting:
                _out.WriteLine($"connection to {Redact(e.Url)}{of} lost ({e.Error?.Message}); reconnecting");
                break;
            default:
                break;
        }
    }

    private static string Redact(Uri? url) => url is null ? "(none)" : url.GetLeftPart(UriPartial.Path);

    private int Fail(int code, string message)
    {
        _error.WriteLine("error: " + message);
        return code;
    }
}
