using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The real process with one setting wrong: it must not start, exit with a non-zero code, and say so on
/// standard error in one line that names the setting (no stack trace).
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class ConfigurationMistakeTests(ITestOutputHelper output)
{
    const string Token = "7000000002:CONFIGtestTOKEN_abcdef";

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        // setting named in the message, then key and value (a second pair after '|')
        { "Database:Provider", "Database:Provider", "Oracle", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=/proc/codequiz-cannot-exist/quiz.db", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=unterminated\"quote;Mode=Banana", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=:memory:", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=", "" },
        { "Database:ConnectionString", "Database:Provider", "SqlServer", "Database:ConnectionString|Server=127.0.0.1,1;Database=quiz;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=True" },
        { "Telegram:Mode", "Telegram:Mode", "CarrierPigeon", "" },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "http://quiz.example.org/telegram/webhook", "Telegram:BotToken|" + Token },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "https://quiz.example.org:5001/telegram/webhook", "Telegram:BotToken|" + Token },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "https://quiz.example.org/webhook", "Telegram:BotToken|" + Token },
        { "Telegram:SecretToken", "Telegram:SecretToken", "not allowed!", "Telegram:BotToken|" + Token },
        { "Telegram:BotToken", "Telegram:BotToken", "not-a-token", "Telegram:Mode|Polling" },
        { "Telegram:BotToken", "Telegram:BotToken", "0:abc", "Telegram:Mode|Polling" },
        { "Telegram:MaxConnections", "Telegram:MaxConnections", "many", "" },
        { "Telegram:MaxConnections", "Telegram:MaxConnections", "1000", "" },
        { "Telegram:ApiBaseUrl", "Telegram:ApiBaseUrl", "ftp://api.telegram.org", "" },
        { "Telegram:LongPollSeconds", "Telegram:LongPollSeconds", "90", "" },
        { "Ingest:QueueCapacity", "Ingest:QueueCapacity", "0", "" },
        { "Ingest:MaxBatchSize", "Ingest:MaxBatchSize", "lots", "" },
        { "Ingest:MaxBodyBytes", "Ingest:MaxBodyBytes", "99999999999", "" },
        { "Ingest:DeadlineGraceSeconds", "Ingest:DeadlineGraceSeconds", "120", "" },
        { "Ingest:DeadlineGraceSeconds", "Ingest:DeadlineGraceSeconds", "NaN", "" },
        { "Outbox:PerChatIntervalSeconds", "Outbox:PerChatIntervalSeconds", "Infinity", "" },
        { "Rehearsal:RateLimits:PerChatPerSecond", "Rehearsal:RateLimits:PerChatPerSecond", "NaN", "" },
        { "Outbox:MessagesPerSecond", "Outbox:MessagesPerSecond", "-5", "" },
        { "Outbox:PerChatIntervalSeconds", "Outbox:PerChatIntervalSeconds", "soon", "" },
        { "Outbox:CallTimeoutSeconds", "Outbox:CallTimeoutSeconds", "0", "" },
        { "Bootstrap:OrganizerEmail", "Bootstrap:OrganizerEmail", "not an email", "Bootstrap:OrganizerPassword|Secret-passw0rd!" },
        { "Bootstrap:OrganizerPassword", "Bootstrap:OrganizerPassword", "short", "Bootstrap:OrganizerEmail|organizer@codequiz.test" },
        { "Presenter:PodiumSeconds", "Presenter:PodiumSeconds", "-1", "" },
        { "Presenter:LeaderboardRows", "Presenter:LeaderboardRows", "21", "" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task AMistakeStopsStartUpWithOneLineNamingTheSetting(string setting, string key, string value, string other)
    {
        var directory = Directory.CreateTempSubdirectory("codequiz-config-").FullName;
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "quiz.db")}",
            ["Rehearsal:CrowdAutoStart"] = "false",
            [key] = value,
        };
        if (other.Split('|', 2) is [var otherKey, var otherValue])
            settings[otherKey] = otherValue;

        await using var server = ServerProcess.Start(directory, settings);
        try
        {
            await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            output.WriteLine($"exit {(server.HasExited ? server.ExitCode : -1)}\nstderr:\n{server.Errors}\nstdout:\n{server.Output}");
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }

        var lines = server.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEqual(0, server.ExitCode);
        var line = Assert.Single(lines);
        Assert.StartsWith("CodeQuiz cannot start: ", line);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("DataAnnotation validation failed", line); // the framework's frame around our message
        Assert.DoesNotContain("System.", line); // "to type 'System.Int32'"
        Assert.DoesNotContain("Unhandled exception", server.Output + server.Errors);
        // Nor a stack trace in the log on standard output, above that line.
        Assert.DoesNotMatch(@"(?m)^\s+at \S", server.Output);
    }
}
