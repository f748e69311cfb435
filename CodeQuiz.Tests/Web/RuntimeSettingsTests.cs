using System.Text.Json;
using CodeQuiz.Tests.Reliability;

namespace CodeQuiz.Tests.Web;

/// <summary>Runtime settings the web app ships with in its runtimeconfig.json, read as `dotnet CodeQuiz.Web.dll` reads them.</summary>
public class RuntimeSettingsTests
{
    [Fact]
    public void IdleThreadPoolWorkersSleepWithoutSpinning()
    {
        var file = Path.ChangeExtension(ServerProcess.WebDll, ".runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var spin), $"{file} does not set the spin limit");
        Assert.Equal(0, spin.GetInt32());
    }
}
