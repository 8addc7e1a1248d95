using Microsoft.AspNetCore.Builder;

namespace HlsCdn.Node.Admission;

/// <summary>Adds <see cref="AdmissionMiddleware"/> to a pipeline.</summary>
internal static class AdmissionApplicationBuilderExtensions
{
    /// <summary>Refuses WebSocket upgrades while shutting down (503) and from origins not allowed (403). Place it after <c>UseWebSockets</c>.</summary>
    public static IApplicationBuilder UseNodeAdmission(this IApplicationBuilder app) => app.UseMiddleware<AdmissionMiddleware>();
}
