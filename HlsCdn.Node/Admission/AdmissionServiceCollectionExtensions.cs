using HlsCdn.Node.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HlsCdn.Node.Admission;

/// <summary>Adds the services of <see cref="AdmissionMiddleware"/>.</summary>
internal static class AdmissionServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NodeAdmissionOptions"/> (validated at start-up) and the refusal metrics. Needs graceful shutdown's <see cref="Shutdown.NodeLifecycle"/>.</summary>
    public static IServiceCollection AddNodeAdmission(this IServiceCollection services)
    {
        services.AddOptions<NodeAdmissionOptions>().BindConfiguration(NodeAdmissionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NodeAdmissionOptions>, NodeAdmissionOptionsValidator>();
        services.TryAddSingleton<NodeLimitMetrics>();
        return services;
    }
}
