using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Configuration;

/// <summary>
/// The start-up check of one options type: <see cref="Check"/> adds a failure per bad setting, each naming the setting
/// (and its original variable); they are reported together. Registered with
/// <see cref="Microsoft.Extensions.DependencyInjection.ValidatedOptionsServiceCollectionExtensions.AddValidatedOptions{TOptions, TValidator}"/>.
/// </summary>
/// <typeparam name="TOptions">The options type checked.</typeparam>
internal abstract class OptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        Check(options, failures);
        return OptionsValidation.Result(failures);
    }

    /// <summary>Adds a message to <paramref name="failures"/> for every setting of <paramref name="options"/> that is wrong.</summary>
    protected abstract void Check(TOptions options, List<string> failures);
}
