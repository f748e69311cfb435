using Xunit.Abstractions;

namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The real process with settings wrong: it must not start, exit with a non-zero code, and say so on standard error
/// in one line per mistake that names the setting (no stack trace), every mistake at once.
/// </summary>
[Trait("Category", "Reliability")]
[Collection(ReliabilityCollection.Name)]
public class ConfigurationMistakeTests(ITestOutputHelper output)
{
    const string Token = "7000000002:CONFIGtestTOKEN_abcdef", Secret = "config-test-secret";

    public static TheoryData<string, string, string, string> Mistakes => new()
    {
        // setting named in the message, then key and value (more pairs after it, key|value|key|value)
        { "Database:Provider", "Database:Provider", "Oracle", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=/proc/codequiz-cannot-exist/quiz.db", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=unterminated\"quote;Mode=Banana", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=:memory:", "" },
        { "Database:ConnectionString", "Database:ConnectionString", "Data Source=", "" },
        { "Database:ConnectionString", "Database:Provider", "SqlServer", "Database:ConnectionString|Server=127.0.0.1,1;Database=quiz;User Id=sa;Password=x;Connect Timeout=2;TrustServerCertificate=True" },
        { "Telegram:Mode", "Telegram:Mode", "CarrierPigeon", "" },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "http://quiz.example.org/telegram/webhook", "Telegram:BotToken|" + Token + "|Telegram:SecretToken|" + Secret },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "https://quiz.example.org:5001/telegram/webhook", "Telegram:BotToken|" + Token + "|Telegram:SecretToken|" + Secret },
        { "Telegram:WebhookUrl", "Telegram:WebhookUrl", "https://quiz.example.org/webhook", "Telegram:BotToken|" + Token + "|Telegram:SecretToken|" + Secret },
        { "Telegram:SecretToken", "Telegram:SecretToken", "not allowed!", "Telegram:BotToken|" + Token },
        { "Telegram:BotToken", "Telegram:BotToken", "not-a-token", "Telegram:Mode|Polling" },
        { "Telegram:BotToken", "Telegram:BotToken", "0:abc", "Telegram:Mode|Polling" },
        { "Telegram:MaxConnections", "Telegram:MaxConnections", "many", "" },
        { "Telegram:MaxConnections", "Telegram:MaxConnections", "1000", "" },
        { "Telegram:ApiBaseUrl", "Telegram:ApiBaseUrl", "ftp://api.telegram.org", "" },
        { "Telegram:ApiBaseUrl", "Telegram:ApiBaseUrl", "http://127.0.0.1:8081/telegram/", "Telegram:BotToken|" + Token + "|Telegram:Mode|Polling" },
        { "Rehearsal:Channels", "Rehearsal:Channels", "@codeweekquiz", "" },
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
        var settings = new Dictionary<string, string?> { [key] = value };
        foreach (var pair in other.Split('|', StringSplitOptions.RemoveEmptyEntries).Chunk(2))
            settings[pair[0]] = pair[1];

        var lines = await StartAndFailAsync(settings);

        var line = Assert.Single(lines);
        Assert.Contains(setting, line);
    }

    [Fact]
    public async Task EveryMistakeStopsStartUpAtOnceWithOneLineEach()
    {
        var lines = await StartAndFailAsync(new()
        {
            ["Database:Provider"] = "Oracle",
            ["Telegram:MaxConnections"] = "many",
            ["Telegram:LongPollSeconds"] = "90",
            ["Telegram:BotUsername"] = "Code Week Quiz Bot",
            ["Ingest:MaxBatchSize"] = "lots",
            ["Ingest:QueueCapacity"] = "0",
            ["Outbox:CallTimeoutSeconds"] = "0",
            ["Rehearsal:Pace"] = "fast",
            ["Rehearsal:RateLimits:PerChatPerSecond"] = "NaN",
            ["Bootstrap:OrganizerEmail"] = "not an email",
            ["Bootstrap:OrganizerPassword"] = "Secret-passw0rd!",
            ["Presenter:LeaderboardRows"] = "21",
        });

        string[] settings =
        [
            "Database:Provider", "Telegram:MaxConnections", "Telegram:LongPollSeconds", "Telegram:BotUsername", "Ingest:MaxBatchSize",
            "Ingest:QueueCapacity", "Outbox:CallTimeoutSeconds", "Rehearsal:Pace", "Rehearsal:RateLimits:PerChatPerSecond",
            "Bootstrap:OrganizerEmail", "Presenter:LeaderboardRows",
        ];
        Assert.Equal(settings.Length, lines.Length);
        foreach (var setting in settings)
            Assert.Single(lines, line => line.Contains(setting + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnAppsettingsProductionFileBesideTheAppIsRead()
    {
        // running-an-event.md sends settings of one's own there: a publish replaces appsettings.json, never this file.
        var lines = await StartAndFailAsync([], directory => File.WriteAllText(Path.Combine(directory, "appsettings.Production.json"),
            """{ "Presenter": { "LeaderboardRows": 21 } }"""));

        Assert.Contains("Presenter:LeaderboardRows", Assert.Single(lines));
    }

    [Fact]
    public async Task TheExampleSettingsFileCopiedAsItIsStartsTheApp()
    {
        // What an organizer does first: appsettings.example.json as the appsettings.json of the folder the app starts in,
        // its empty values ("BotToken": "", "OrganizerEmail": "") as good as left out, and its database in that folder.
        var directory = Directory.CreateTempSubdirectory("codequiz-example-").FullName;
        File.Copy(Path.Combine(Infrastructure.Repository.Root, "appsettings.example.json"), Path.Combine(directory, "appsettings.json"));
        try
        {
            await using var server = ServerProcess.Start(directory, new Dictionary<string, string?>());
            try
            {
                await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }
            finally
            {
                output.WriteLine($"stderr:\n{server.Errors}\nstdout:\n{server.Output}");
            }
            Assert.Empty(server.Errors.Trim());
            // Nor does it lose the shipped file's log levels: every SQL command and request logged would slow the show.
            Assert.DoesNotContain("Executed DbCommand", server.Output);
            Assert.True(File.Exists(Path.Combine(directory, "codequiz.db")), "Data Source=codequiz.db is in the folder the app started in");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Starts the real process with <paramref name="settings"/> on a database of its own, which must not start: the lines
    /// on standard error, each "CodeQuiz cannot start: …" in our words, with no stack trace anywhere.
    /// </summary>
    async Task<string[]> StartAndFailAsync(Dictionary<string, string?> settings, Action<string>? prepare = null)
    {
        var directory = Directory.CreateTempSubdirectory("codequiz-config-").FullName;
        prepare?.Invoke(directory);
        settings.TryAdd("Database:ConnectionString", $"Data Source={Path.Combine(directory, "quiz.db")}");
        settings.TryAdd("Rehearsal:CrowdAutoStart", "false");

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
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.StartsWith("CodeQuiz cannot start: ", line);
            Assert.DoesNotContain("DataAnnotation validation failed", line); // the framework's frame around our message
            Assert.DoesNotContain("System.", line); // "to type 'System.Int32'"
        }
        Assert.DoesNotContain("Unhandled exception", server.Output + server.Errors);
        // Nor a stack trace in the log on standard output, above those lines.
        Assert.DoesNotMatch(@"(?m)^\s+at \S", server.Output);
        return lines;
    }
}
