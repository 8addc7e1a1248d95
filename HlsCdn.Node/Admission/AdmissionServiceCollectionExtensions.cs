using Microsoft.Extensions.DependencyInjection;

namespace HlsCdn.Node.Admission;

/// <summary>Adds the services of <see cref="AdmissionMiddleware"/>.</summary>
internal static class AdmissionServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NodeAdmissionOptions"/>, validated at start-up. The middleware also needs graceful shutdown's <see cref="Shutdown.NodeLifecycle"/>.</summary>
    public static IServiceCollection AddNodeAdmission(this IServiceCollection services) =>
        services.AddValidatedOptions<NodeAdmissionOptions, NodeAdmissionOptionsValidator>(NodeAdmissionOptions.SectionName).Services;
}
