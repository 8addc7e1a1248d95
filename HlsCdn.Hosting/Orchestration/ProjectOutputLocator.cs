using HlsCdn.Hosting.Model;

namespace HlsCdn.Hosting.Orchestration;

/// <summary>Finds the build output of a referenced project (<c>{project}/bin/{Configuration}/{tfm}/{Name}.dll</c>).</summary>
public static class ProjectOutputLocator
{
    /// <summary>The newest <c>{Name}.dll</c> built for <paramref name="configuration"/>, or null when the project has not been built.</summary>
    public static string? Find(ProjectResource project, string configuration)
    {
        ArgumentNullException.ThrowIfNull(project);
        var bin = Path.Combine(Path.GetDirectoryName(project.ProjectPath)!, "bin", configuration);
        if (!Directory.Exists(bin))
        {
            return null;
        }

        var fileName = project.ProjectName + ".dll";
        return Directory.EnumerateDirectories(bin)
            .Select(dir => Path.Combine(dir, fileName))
            .Where(File.Exists)
            .Where(dll => File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }
}
