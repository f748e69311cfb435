using Bunit;
using Bunit.TestDoubles;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Components.Pages.Qr;
using CodeQuiz.Web.Telegram;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.AspNetCore.Components;
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

    /// <summary>What Telegram answers the console's own calls (the channel check).</summary>
    protected StubBotApi BotApi { get; } = new();

    /// <summary>The name getMe told the bot (set it to act as if the bot is running); null: getMe has not answered.</summary>
    protected string? BotNameFromTelegram { get; set; }

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
        ctx.Services.AddSingleton(sp => new BotIdentity(sp.GetRequiredService<IOptionsMonitor<TelegramOptions>>()) { FromTelegram = BotNameFromTelegram });
        ctx.Services.AddSingleton<BotStatus>();
        ctx.Services.AddSingleton(CodeQuiz.Core.Ingest.BotAdoption.Done());
        ctx.Services.AddSingleton(new ChannelCheck(BotApi.Client(), Options.Create(new OutboxOptions())));
        ctx.Services.AddSingleton<BotLinks>();
        ctx.Services.AddSingleton<OutboxCounters>();
        ctx.Services.AddQuizzes();
    }

    /// <summary>Renders a page below MudBlazor's providers, as MainLayout does, so its dialogs and menus can be used.</summary>
    protected static (IRenderedComponent<T> Page, IRenderedComponent<IComponent> Providers) RenderPage<T>(
        BunitContext ctx, Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        var providers = ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        return (ctx.Render(parameters), providers);
    }

    /// <summary>How the <paramref name="count"/>th navigation ended, once it has (a page that stays renders nothing to wait for).</summary>
    protected static async Task<NavigationState> NavigatedAsync(BunitNavigationManager navigation, int count)
    {
        for (var waited = 0; navigation.History.Count < count && waited < 15_000; waited += 20)
            await Task.Delay(20);
        Assert.Equal(count, navigation.History.Count);
        return navigation.History.First().State;
    }

    /// <summary>The notice showing <paramref name="text"/>, once it shows: a notice renders nothing in the page to wait for.</summary>
    protected static async Task<Snackbar> NoticeAsync(BunitContext ctx, string text)
    {
        var notices = ctx.Services.GetRequiredService<ISnackbar>();
        for (var waited = 0; waited < 10_000; waited += 20)
        {
            if (notices.ShownSnackbars.FirstOrDefault(n => n.Message?.Contains(text, StringComparison.Ordinal) == true) is { } notice)
                return notice;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException($"No notice says “{text}”; shown: {string.Join(" | ", notices.ShownSnackbars.Select(n => n.Message))}");
    }

    /// <summary>Clicks the button of an open MudBlazor message box.</summary>
    protected static async Task AnswerDialogAsync(IRenderedComponent<IComponent> providers, string button)
    {
        await providers.WaitForAssertionAsync(() => Assert.Contains(providers.FindAll(".mud-dialog button"), b => b.TextContent.Trim() == button));
        await providers.FindAll(".mud-dialog button").First(b => b.TextContent.Trim() == button).ClickAsync(new());
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

    /// <summary>Answers as the batch writer stores them: one participant each, Telegram's update ids in the given order.</summary>
    protected async Task SeedAnswersAsync(Question question, params (string Name, string? Team, int? HeadCount, string Text, bool Correct, double DelaySeconds)[] answers)
    {
        await using var db = await Db.CreateDbContextAsync();
        var stored = await db.Questions.AsNoTracking().SingleAsync(q => q.Id == question.Id);
        var opened = stored.OpenedAt ?? Time.GetUtcNow();
        var nextId = (await db.Participants.MaxAsync(p => (long?)p.Id) ?? 1000) + 1;
        var update = (await db.Answers.MaxAsync(a => (long?)a.UpdateId) ?? 500_000) + 1;
        foreach (var a in answers)
        {
            var participant = await db.Participants.FirstOrDefaultAsync(p => p.FirstName == a.Name)
                ?? db.Participants.Add(new Participant { Id = nextId++, FirstName = a.Name, TeamName = a.Team, HeadCount = a.HeadCount, CreatedAt = opened }).Entity;
            db.Answers.Add(new Answer
            {
                QuestionId = question.Id, ParticipantId = participant.Id, UpdateId = update++, Text = a.Text, IsCorrect = a.Correct,
                People = participant.People,
                AnsweredAt = opened.AddTicks((long)Math.Round(a.DelaySeconds * TimeSpan.TicksPerSecond)), // 4.638 s, not 4.6379999
            });
            await db.SaveChangesAsync();
        }
    }

    protected async Task SetChannelAsync(QuizEvent quizEvent, string channel)
    {
        await using var db = await Db.CreateDbContextAsync();
        await db.Events.Where(e => e.Id == quizEvent.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.ChannelId, channel));
    }

    /// <summary>The event's language, as its settings set it ("it": the bot, its QR cards and its CSV switch speak Italian).</summary>
    protected async Task SetLanguageAsync(QuizEvent quizEvent, string language)
    {
        await using var db = await Db.CreateDbContextAsync();
        await db.Events.Where(e => e.Id == quizEvent.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Language, language));
    }

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

    /// <summary>
    /// The pages' database stores the next change, and then stops answering (as with a server restarting): every reading of
    /// <paramref name="table"/> after that change fails, so a step that was stored is told from one the database refused.
    /// </summary>
    protected void SilentAfterTheNextSave(BunitContext ctx, string table) =>
        ctx.Services.AddSingleton<IDbContextFactory<QuizDbContext>>(new ThenSilentDatabase(Db, table));

    sealed class ThenSilentDatabase(IDbContextFactory<QuizDbContext> inner, string table) : IDbContextFactory<QuizDbContext>
    {
        int _saved;

        public QuizDbContext CreateDbContext()
        {
            var db = inner.CreateDbContext();
            db.SavedChanges += (_, _) =>
            {
                if (Interlocked.Exchange(ref _saved, 1) == 1)
                    return;
                using var other = inner.CreateDbContext();
                var rename = $"ALTER TABLE {table} RENAME TO {table}Away"; // a table name of the test's own
                other.Database.ExecuteSqlRaw(rename);
            };
            return db;
        }
    }

    /// <summary>Opens and closes questions in the database as the pipeline would, and records what was asked.</summary>
    protected sealed class FakeQuizLifecycle(ConsoleTestBase test) : IQuizLifecycle
    {
        public List<int> Opened { get; } = [];
        public List<int> Closed { get; } = [];
        public int CatalogChanges { get; private set; }

        /// <summary>As the pipeline: with <paramref name="onlyIfNoneOpen"/>, refused while another question of the event runs.</summary>
        public async Task<Question> OpenAsync(int questionId, bool onlyIfNoneOpen = false, CancellationToken cancellationToken = default)
        {
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var others = onlyIfNoneOpen ? await db.Questions.AsNoTracking().ToListAsync(cancellationToken) : null;
            return await ChangeAsync(questionId, q => q.Open(test.Time.GetUtcNow(), others), Opened, cancellationToken);
        }

        public Task<Question> CloseAsync(int questionId, CancellationToken cancellationToken = default) =>
            ChangeAsync(questionId, q => q.Close(test.Time.GetUtcNow()), Closed, cancellationToken);

        public List<int> Reopened { get; } = [];

        /// <summary>As the pipeline, straight on the database: the question open again, its late answers on time.</summary>
        public async Task<Question> ReopenAsync(int questionId, CancellationToken cancellationToken = default)
        {
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var others = await db.Questions.AsNoTracking().ToListAsync(cancellationToken);
            var answered = await db.Answers.AnyAsync(a => a.QuestionId == questionId, cancellationToken);
            var reopened = await ChangeAsync(questionId, q => q.Reopen(test.Time.GetUtcNow(), others, answered), Reopened, cancellationToken);
            await db.Answers.Where(a => a.QuestionId == questionId && a.IsLate).ExecuteUpdateAsync(u => u.SetProperty(a => a.IsLate, false), cancellationToken);
            return reopened;
        }

        public List<int> Withdrawn { get; } = [];

        /// <summary>As the pipeline, straight on the database: refused once someone answered.</summary>
        public async Task<Question> WithdrawAsync(int questionId, CancellationToken cancellationToken = default)
        {
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var answers = await db.Answers.CountAsync(a => a.QuestionId == questionId, cancellationToken);
            return await ChangeAsync(questionId, q => q.Withdraw(answers), Withdrawn, cancellationToken);
        }

        public List<int> Extended { get; } = [];

        public Task<Question> ExtendAsync(int questionId, int seconds, int? expectedExtraSeconds = null, CancellationToken cancellationToken = default) =>
            ChangeAsync(questionId, q => q.Extend(seconds, test.Time.GetUtcNow(), expectedExtraSeconds), Extended, cancellationToken);

        public List<int> StartedOver { get; } = [];

        /// <summary>What the pipeline does, straight on the database: answers gone, questions drafts again.</summary>
        public async Task<EventStartedOver> StartOverAsync(int eventId, CancellationToken cancellationToken = default)
        {
            StartedOver.Add(eventId);
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var questions = await db.Questions.Where(q => q.EventId == eventId).ToListAsync(cancellationToken);
            foreach (var question in questions) question.StartOver();
            var ids = questions.Select(q => q.Id).ToList();
            var answers = await db.Answers.Where(a => ids.Contains(a.QuestionId)).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return new EventStartedOver(eventId, questions.Count, answers);
        }

        public List<(long ParticipantId, bool LeaveOut)> LeftOut { get; } = [];

        /// <summary>How many results posts the next changes of a ranking say they correct.</summary>
        public int ResultsPostsToCorrect { get; set; }

        /// <summary>What the pipeline does, straight on the database.</summary>
        public async Task<RankingChange?> LeaveOutAsync(long participantId, bool leaveOut, CancellationToken cancellationToken = default)
        {
            LeftOut.Add((participantId, leaveOut));
            await using var db = await test.Db.CreateDbContextAsync(cancellationToken);
            var found = await db.Participants.Where(p => p.Id == participantId)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.LeftOutAt, leaveOut ? test.Time.GetUtcNow() : null), cancellationToken) == 1;
            if (found)
                test.Live.RankingsChanged(); // as the pipeline does once the change is committed
            return found ? new RankingChange(participantId, leaveOut, ResultsPostsToCorrect) : null;
        }

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
