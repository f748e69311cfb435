using Microsoft.AspNetCore.HttpOverrides;
using CodeQuiz.Web;
using CodeQuiz.Web.Organizers;

try
{
    // Started from another folder that has no appsettings.json, a published CodeQuiz takes its own (see AppFolder).
    var ownFolder = AppFolder.ContentRootFor(Directory.GetCurrentDirectory(), AppContext.BaseDirectory, args);
    // Settings are read and checked once, at start (a change takes a restart). Reloading them on change would have
    // ASP.NET Core watch the content root, every folder below it included, and the default database lives there: each
    // write to its log woke the watcher, which cost the webhook about a tenth of its CPU per update. A later
    // --hostBuilder:reloadConfigOnChange on the command line still wins.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = ["--hostBuilder:reloadConfigOnChange=false", .. args],
        ContentRootPath = ownFolder,
    });

    builder.AddDatabase();
    builder.AddOrganizers();
    builder.AddTelegram();
    builder.AddRehearsal();
    builder.AddLive();
    builder.AddConsole();

    var app = builder.Build();
    if (ownFolder is not null)
        AppFolder.LogTaken(app.Logger, Directory.GetCurrentDirectory(), ownFolder);
    // Every setting is checked before the database is touched, and all mistakes are reported together.
    app.StopOnSettingMistakes();

    // Behind a reverse proxy on this machine (nginx, Caddy) that ends TLS, redirects and links keep the public https
    // address. The proxy's X-Forwarded-* headers are believed from loopback only: nobody else can make them up.
    app.UseForwardedHeaders(new ForwardedHeadersOptions
    {
        ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
    });
    app.UseSecurityHeaders();
    app.UseConsole();
    app.MapHealth();
    app.MapTelegramWebhook();
    app.MapOrganizerApi();
    app.MapRehearsal();
    app.MapLive();
    app.MapConsole();
    app.MapWrongMethods();

    await app.MigrateDatabaseAsync();
    await app.CreateFirstOrganizerAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (InvalidConfigurationException.Describe(e) is { } mistakes)
{
    // Each configuration mistake gets one line naming the setting, not a stack trace.
    foreach (var mistake in mistakes)
        Console.Error.WriteLine($"CodeQuiz cannot start: {mistake}");
    return 1;
}

public partial class Program;
