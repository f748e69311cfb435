using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Telegram;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web;

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var mistakes = Mistakes(options);
        SettingMistakes.Of(builder).Add(mistakes);
        // Registered all the same when the settings are wrong, so that the app can be built and its other settings
        // checked: start-up stops before anything opens the database.
        builder.Services.AddQuizDatabase(mistakes.Count == 0 ? options : new DatabaseOptions(), builder.Environment.ContentRootPath);
        return builder;
    }

    static List<string> Mistakes(DatabaseOptions options)
    {
        var mistakes = new List<string>();
        if (options.KnownProvider is null)
            mistakes.Add($"Database:Provider must be Sqlite or SqlServer (was '{options.Provider}').");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            mistakes.Add("Database:ConnectionString is required.");
        if (mistakes.Count > 0 || !options.IsSqlite)
            return mistakes;
        SqliteConnectionStringBuilder sqlite;
        try
        {
            sqlite = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            // A malformed connection string (an open quote, an unknown keyword or value) is a setting mistake too.
            return [$"Database:ConnectionString is not a valid {options.KnownProvider} connection string ({e.Message})."];
        }
        // SQLite keeps an in-memory or a temporary (empty Data Source) database only as long as its connection: the
        // migrations would go with the first connection closed, and every answer after them.
        if (string.IsNullOrWhiteSpace(sqlite.DataSource) || sqlite.DataSource == ":memory:" || sqlite.Mode == SqliteOpenMode.Memory)
            mistakes.Add("Database:ConnectionString must name a SQLite file (Data Source=codequiz.db), not an in-memory or temporary database.");
        return mistakes;
    }

    /// <summary>Applies migrations before the app takes traffic; an unreachable database stops start-up naming the setting.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        try
        {
            await app.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().MigrateQuizDatabaseAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidConfigurationException(Unusable(e));
        }
        await AdoptBotAsync(app);
    }

    /// <summary>
    /// The line naming the setting, with the database's own words for why (SqlClient's say whether the server was not
    /// found or refused the login) and the error underneath them when it adds something: a host name that does not
    /// resolve does, but a refused connection reaches SqlClient on Linux as socket error 0, whose message is "Success".
    /// </summary>
    internal static string Unusable(Exception e)
    {
        var chain = new List<Exception>();
        for (var inner = e; inner is not null; inner = inner.InnerException)
            chain.Add(inner);
        var database = chain.OfType<System.Data.Common.DbException>().FirstOrDefault();
        var root = e.GetBaseException();
        var under = root == database || root is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.Success }
            ? null : root.Message;
        var reason = string.Join(": ", new[] { database?.Message, under }.Where(m => !string.IsNullOrWhiteSpace(m)));
        return $"Database:ConnectionString does not lead to a usable database ({(reason.Length > 0 ? reason : root.Message)}).";
    }

    /// <summary>
    /// Update ids are each bot's own numbering. When this start's bot is not the one whose ids are stored (the rehearsal's
    /// before the show, a test bot's before the real one), those ids are forgotten, or the new bot's updates that happen
    /// to carry the same numbers would be acknowledged as repeats and dropped. A real bot's only once Telegram confirms
    /// its token (<see cref="BotAdoption"/>).
    /// </summary>
    static async Task AdoptBotAsync(WebApplication app)
    {
        long? botId;
        TelegramMode mode;
        try
        {
            var telegram = app.Services.GetRequiredService<IOptions<TelegramOptions>>().Value;
            (botId, mode) = (telegram.EffectiveBotId, telegram.EffectiveMode);
        }
        catch (OptionsValidationException)
        {
            return; // start-up stops on the bad Telegram setting, with its name
        }
        await app.Services.GetRequiredService<BotAdoption>().StartAsync(botId, confirmed: mode == TelegramMode.Rehearsal);
    }
}
