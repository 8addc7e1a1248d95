using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Admission;

/// <summary>Checks <see cref="NodeAdmissionOptions"/> at start-up: every allowed origin is a bare origin.</summary>
internal sealed class NodeAdmissionOptionsValidator : OptionsValidator<NodeAdmissionOptions>
{
    protected override void Check(NodeAdmissionOptions options, List<string> failures)
    {
        foreach (var origin in AddressLists.Split(options.AllowedOrigins))
        {
            if (origin != "null"
                && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0))
            {
                failures.Add($"Node:AllowedOrigins entries must be origins like https://player.example.com[:port], got '{origin}'.");
            }
        }
    }
}
