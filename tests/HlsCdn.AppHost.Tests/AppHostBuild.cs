namespace HlsCdn.AppHost.Tests;

/// <summary>Where the AppHost is built alongside these tests.</summary>
internal static class AppHostBuild
{
    /// <summary>The AppHost's project directory (Aspire's metadata names the directory, or the project file).</summary>
    public static string ProjectDirectory =>
        Directory.Exists(Projects.HlsCdn_AppHost.ProjectPath) ? Projects.HlsCdn_AppHost.ProjectPath : Path.GetDirectoryName(Projects.HlsCdn_AppHost.ProjectPath)!;

    /// <summary><c>HlsCdn.AppHost/bin/{configuration}/{tfm}/HlsCdn.AppHost.dll</c>, the configuration and tfm of these tests.</summary>
    public static string Dll
    {
        get
        {
            var tfmDirectory = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var path = Path.Combine(ProjectDirectory, "bin", Path.GetFileName(Path.GetDirectoryName(tfmDirectory))!, Path.GetFileName(tfmDirectory), "HlsCdn.AppHost.dll");
            Assert.True(File.Exists(path), $"the AppHost is not built at {path}");
            return path;
        }
    }
}
