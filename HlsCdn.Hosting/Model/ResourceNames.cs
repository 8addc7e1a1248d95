using System.Text.RegularExpressions;

namespace HlsCdn.Hosting.Model;

/// <summary>Aspire's rule for resource names: letters, digits and hyphens, starting with a letter, at most 64 characters.</summary>
public static partial class ResourceNames
{
    public static bool IsValid(string? name) => name is not null && name.Length <= 64 && NamePattern().IsMatch(name);

    public static void Validate(string? name)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid resource name: use ASCII letters, digits and single hyphens, start with a letter, at most 64 characters.",
                nameof(name));
        }
    }

    [GeneratedRegex("^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-))*(?<!-)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
