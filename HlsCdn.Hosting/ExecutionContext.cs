using Microsoft.Extensions.Configuration;

namespace HlsCdn.Hosting;

/// <summary>Whether the AppHost runs the application or publishes its manifest (<c>--publisher manifest --output-path X</c>).</summary>
public sealed class DistributedApplicationExecutionContext
{
    private DistributedApplicationExecutionContext(string? publisher, string? outputPath)
    {
        Publisher = publisher;
        OutputPath = outputPath;
    }

    public string? Publisher { get; }

    public string? OutputPath { get; }

    public bool IsPublishMode => Publisher is not null;

    public bool IsRunMode => !IsPublishMode;

    public static DistributedApplicationExecutionContext FromConfiguration(IConfiguration configuration)
    {
        var publisher = configuration["publisher"];
        if (string.IsNullOrWhiteSpace(publisher))
        {
            return new DistributedApplicationExecutionContext(null, null);
        }

        if (!string.Equals(publisher, "manifest", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Unknown publisher '{publisher}': only 'manifest' is supported.");
        }

        var output = configuration["output-path"];
        return new DistributedApplicationExecutionContext("manifest", string.IsNullOrWhiteSpace(output) ? "aspire-manifest.json" : output);
    }
}
