using Bunit;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Components.Pages.Qr;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace CodeQuiz.Tests.Components;

/// <summary>
/// What every console component test needs: MudBlazor without transitions, loose JS interop, a fake clock,
/// the real LiveStats, and a real SQLite database of its own (copied from one migrated template, so it is cheap).
/// Only the quiz lifecycle is faked, because the real one is the ingest pipeline.
/// </summary>
public abstract class ConsoleTestBase : IDisposable
{
    static readonly Lazy<string> Template = new(CreateTemplate);

    readonly string _directory = Directory.CreateTempSubdirectory("codequiz-bunit-").FullName;

    protected ConsoleTestBase()
    {
        File.Copy(Template.Value, DatabasePath);
        Live = new LiveStats(Time);
        Lifecycle = new FakeQuizLifecycle(this);
        Db = new ServiceCollection()
            .AddQuizDatabase(new DatabaseOptions { ConnectionString = $"Data Source={DatabasePath}" }, _directory)
            .BuildServiceProvider()
            .GetRequiredService<IDbContextFactory<QuizDbContext>>();
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 10, 15, 17, 0, 0, TimeSpan.Zero));

    protected LiveStats Live { get; }

    protected FakeQuizLifecycle Lifecycle { get; }

    protected IDbContextFactory<QuizDbContext> Db { get; }

    protected TelegramOptions Telegram { get; } = new();

    string DatabasePath => Path.Combine(_directory, "codequiz.db");

    protected void AddTestServices(BunitContext ctx)
    {
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
        ctx.Services.AddSingleton<TimeProvider>(Time);
        ctx.Services.AddSingleton(Live);
        ctx.Services.AddSingleton<IQuizLifecycle>(Lifecycle);
        ctx.Services.AddSingleton(Db);
        ctx.Services.AddOptions<TelegramOptions>().Configure(o =>
        {
            o.Mode = Telegram.Mode;
            o.BotToken = Telegram.BotToken;
            o.BotUsername = Telegram.BotUsername;
            o.WebhookUrl = Telegram.WebhookUrl;
        });
        ctx.Services.AddSingleton<BotLinks>();
    }

    /// <summary>An event with questions numbered 1..n, straight into the database.</summary>
    protected async Task<QuizEvent> SeedEventAsync(params Question[] questions)
    {
        await using var db = await Db.CreateDbContextAsync();
        var quizEvent = new QuizEvent { Name = "Code Week final", CreatedAt = Time.GetUtcNow() };
        for (var i = 0; i < questions.Length; i++)
            questions[i].Position = i + 1;
        quizEvent.Questions.AddRange(questions);
        db.Events.Add(quizEvent);
        await db.SaveChangesAsync();
        return quizEvent;
    }

    protected static Question FreeText(string prompt = "What does `2 + 2` print?", params string[] accepted) => new()
    {
        Prompt = prompt,
        Kind = QuestionKind.FreeText,
        AcceptedAnswers = accepted.Length == 0 ? ["4"] : [.. accepted],
        Code = Tokens.NewQuestionCode(),
    };

    protected async Task<T> QueryAsync<T>(Func<QuizDbContext, Task<T>> query)
    {
        await using var db = await Db.CreateDbContextAsync();
        return await query(db);
    }

    static string CreateTemplate()
    {
        var directory = Directory.CreateTempSubdirectory("codequiz-bunit-template-").FullName;
        var file = Path.Combine(directory, "template.db");
        using (var services = new ServiceCollection()
            .AddQuizDatabase(new DatabaseOptions { ConnectionString = $"Data Source={file}" }, directory)
            .BuildServiceProvider())
        {
            services.GetRequiredService<IDbContextFactory<QuizDbContext>>().MigrateQuizDatabaseAsync().GetAwaiter().GetResult();
        }
        SqliteConnection.ClearAllPools();
        return file;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens and closes questions in the database as the pipeline would, and records what was asked.</summary>
    protected sealed class FakeQuizLifecycle(ConsoleTestBase test) : IQuizLifecycle
    {
        public List<int> Opened { get; } = [];
        public List<int> Closed { get; } = [];
        public int CatalogChanges { get; private set; }

        public Task<Question> OpenAsync(int questionId, CancellationToken cancellationToken = default) =>
            ChangeAsync(questionId, q => q.Open(test.Time.GetUtcNow()), Opened, cancellationToken);

        public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) =>
            ChangeAsync(questionId, q => q.Close(test.Time.GetUtcNow()), Closed, cancellationToken);

        public void CatalogChanged() => CatalogChanges++;

        async Task<Question> ChangeAsync(int questionId, Action<Question> change, List<int> calls, CancellationToken cancellationToken)
        {
            calls.Add(questionId);
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var question = await db.Questions.FindAsync([questionId], cancellationToken) ?? throw new KeyNotFoundException($"There is no question {questionId}.");
            change(question);
            await db.SaveChangesAsync(cancellationToken);
            return question;
        }
    }
}
