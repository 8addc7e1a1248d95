using System.Reflection;
using System.Text.RegularExpressions;
using HlsCdn.Node.Configuration;

namespace HlsCdn.Node.Tests;

/// <summary>
/// README's settings tables and the node's options classes cannot drift: every public settable property of an options
/// class (a type with a <c>SectionName</c>) is a row with exactly the original variables that map onto it, and every
/// row is a real setting (or a key the original variables map to) with real variables.
/// </summary>
public sealed partial class SettingsDocumentationTests
{
    // Public properties of an options class that are not settings: the host sets them.
    private static readonly HashSet<string> NotSettings = new(StringComparer.Ordinal) { "Node:Role" };

    // Documented keys read by ASP.NET Core or Aspire rather than bound to a node options class.
    private static readonly HashSet<string> OtherKeys = new(StringComparer.Ordinal) { "ConnectionStrings:registry" };

    [Fact]
    public void Every_setting_of_the_options_classes_is_in_README_with_its_original_variables()
    {
        var documented = ReadmeSettings();
        var problems = new List<string>();
        foreach (var key in OptionsSettings())
        {
            if (!documented.TryGetValue(key, out var variables))
            {
                problems.Add($"{key} is not in README's settings tables");
            }
            else if (!variables.SetEquals(VariablesOf(key)))
            {
                problems.Add($"{key}: README names [{string.Join(", ", variables.Order())}], the original variables mapping onto it are [{string.Join(", ", VariablesOf(key).Order())}]");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_row_of_README_settings_tables_is_a_real_setting_with_real_original_variables()
    {
        var settings = OptionsSettings();
        var problems = new List<string>();
        foreach (var (key, variables) in ReadmeSettings())
        {
            var mapped = VariablesOf(key);
            if (!settings.Contains(key) && !OtherKeys.Contains(key) && mapped.Count == 0)
            {
                problems.Add($"README documents {key}, which is no property of a node options class");
            }

            foreach (var variable in variables.Where(v => !mapped.Contains(v)))
            {
                problems.Add($"README gives {variable} for {key}, but {variable} " + (OriginalEnvironmentVariablesSource.Map.TryGetValue(variable, out var target) ? $"maps onto {target.Key}" : "is not an original variable the node reads"));
            }
        }

        foreach (var (variable, target) in OriginalEnvironmentVariablesSource.Map)
        {
            if (!ReadmeSettings().TryGetValue(target.Key, out var variables) || !variables.Contains(variable))
            {
                problems.Add($"the original variable {variable} ({target.Key}) is not in README's settings tables");
            }
        }

        Assert.Empty(problems);
    }

    /// <summary><c>Section:Property</c> of every public settable, non-obsolete property of the node's options classes.</summary>
    private static HashSet<string> OptionsSettings()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(NodeOptions).Assembly.GetExportedTypes())
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is not { IsLiteral: true } field || !type.Name.EndsWith("Options", StringComparison.Ordinal))
            {
                continue;
            }

            var section = (string)field.GetRawConstantValue()!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true } && property.GetCustomAttribute<ObsoleteAttribute>() is null && !NotSettings.Contains($"{section}:{property.Name}"))
                {
                    keys.Add($"{section}:{property.Name}");
                }
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    /// <summary>The original variables that map onto <paramref name="key"/>.</summary>
    private static HashSet<string> VariablesOf(string key) =>
        [.. OriginalEnvironmentVariablesSource.Map.Where(e => string.Equals(e.Value.Key, key, StringComparison.Ordinal)).Select(e => e.Key)];

    /// <summary>
    /// The rows of the tables in README's Configuration section: key → original variables. A cell may list several keys
    /// (<c>`Node:Tls:CertificatePath` / `PrivateKeyPath`</c>: later ones relative to the first one's section) with as many
    /// variables in the same order, or one key with several variables.
    /// </summary>
    private static Dictionary<string, HashSet<string>> ReadmeSettings()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no Configuration section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var settings = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in section.Split('\n'))
        {
            var cells = line.Split('|');
            if (!line.StartsWith("| `", StringComparison.Ordinal) || cells.Length < 4)
            {
                continue;
            }

            var names = Code().Matches(cells[1]).Select(m => m.Groups[1].Value).ToList();
            var prefix = names[0][..(names[0].LastIndexOf(':') + 1)];
            var keys = names.Select(n => n.Contains(':', StringComparison.Ordinal) ? n : prefix + n).ToList();
            var variables = Code().Matches(cells[2]).Select(m => m.Groups[1].Value).ToList();
            Assert.True(variables.Count == 0 || variables.Count == keys.Count || keys.Count == 1, $"README row '{line}': give one original variable per setting, or one setting");
            for (var i = 0; i < keys.Count; i++)
            {
                var own = variables.Count == keys.Count ? [variables[i]] : keys.Count == 1 ? variables : [];
                Assert.True(settings.TryAdd(keys[i], [.. own]), $"README lists {keys[i]} twice");
            }
        }

        return settings;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HlsCdn.Aspire.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("HlsCdn.Aspire.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
