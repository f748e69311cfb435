using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// The real app on a fresh SQLite file of its own. Settings can be added per test;
/// <see cref="UseKestrel"/> serves on a real port for the simulator's webhook calls and browser tests.
/// </summary>
public class CodeQuizFactory : WebApplicationFactory<Program>
{
    readonly string _directory = Directory.CreateTempSubdirectory("codequiz-test-").FullName;

    public Dictionary<string, string?> Settings { get; } = new();

    public string DatabasePath => Path.Combine(_directory, "codequiz.db");

    /// <summary>Starts the app on real Kestrel, where a browser or the simulator's webhook calls reach it, and returns its address.</summary>
    public string StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        return Address;
    }

    /// <summary>The address the app serves on once <see cref="StartOnKestrel"/> has started it.</summary>
    public string Address => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Replaces services after the app's own registrations (e.g. a FakeTimeProvider).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development the app expects published assets; the test run serves them from the build, as dotnet run does.
        builder.UseStaticWebAssets();
        builder.UseSetting("Database:ConnectionString", $"Data Source={DatabasePath}");
        builder.UseSetting("Rehearsal:CrowdAutoStart", "false"); // virtual participants only in tests that ask for them
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (ConfigureServices is { } configure)
            builder.ConfigureServices(configure);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
