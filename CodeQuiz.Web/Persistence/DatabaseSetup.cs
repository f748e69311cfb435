using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web;

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider is not ("Sqlite" or "SqlServer"))
            throw new InvalidConfigurationException($"Database:Provider must be Sqlite or SqlServer (was '{options.Provider}').");
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new InvalidConfigurationException("Database:ConnectionString is required.");
        try
        {
            builder.Services.AddQuizDatabase(options, builder.Environment.ContentRootPath);
        }
        catch (ArgumentException e)
        {
            // A malformed connection string (an open quote, an unknown keyword or value) is a setting mistake too.
            throw new InvalidConfigurationException($"Database:ConnectionString is not a valid {options.Provider} connection string ({e.Message}).");
        }
        return builder;
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
            throw new InvalidConfigurationException($"Database:ConnectionString does not lead to a usable database ({e.GetBaseException().Message}).");
        }
    }
}
