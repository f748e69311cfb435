using CodeQuiz.Web;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddDatabase();
    builder.AddOrganizers();
    builder.AddTelegram();
    builder.AddRehearsal();
    builder.AddLive();
    builder.AddConsole();

    var app = builder.Build();

    app.UseConsole();
    app.MapHealth();
    app.MapTelegramWebhook();
    app.MapOrganizerApi();
    app.MapRehearsal();
    app.MapLive();
    app.MapConsole();

    await app.MigrateDatabaseAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception e) when (InvalidConfigurationException.Describe(e) is { } mistake)
{
    // A configuration mistake gets one line naming the setting, not a stack trace.
    Console.Error.WriteLine($"CodeQuiz cannot start: {mistake}");
    return 1;
}

public partial class Program;
