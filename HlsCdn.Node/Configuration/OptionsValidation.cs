using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Configuration;

/// <summary>The checks the options validators share; each failure names the setting as the validator passes it.</summary>
internal static class OptionsValidation
{
    /// <summary>Adds a failure unless <paramref name="value"/> is within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Range(List<string> failures, string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max}, got {value}.");
        }
    }

    /// <summary>Adds a failure unless <paramref name="value"/> is longer than zero.</summary>
    public static void Positive(List<string> failures, string setting, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{setting} must be positive, got {value}.");
        }
    }

    /// <summary>Adds a failure for every entry of <paramref name="list"/> that is neither an IP address nor a CIDR range.</summary>
    public static void Networks(List<string> failures, string setting, string? list)
    {
        foreach (var entry in AddressLists.Split(list))
        {
            if (!AddressLists.TryParseNetwork(entry, out _))
            {
                failures.Add($"{setting} entries must be IP addresses or CIDR ranges like 10.0.0.0/8, got '{entry}'.");
            }
        }
    }

    /// <summary>Success when nothing failed.</summary>
    public static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
