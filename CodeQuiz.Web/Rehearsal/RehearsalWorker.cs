using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>
/// Runs the rehearsal: webhook delivery, the crowd's clock, a watch on the database for questions
/// that open and close (every half second while the crowd plays), and the crowd's counters set to zero by a Start over.
/// </summary>
sealed class RehearsalWorker(
    TelegramSimulator simulator,
    IDbContextFactory<QuizDbContext> database,
    CatalogChanges changes,
    Microsoft.Extensions.Options.IOptions<RehearsalOptions> options,
    ILogger<RehearsalWorker> log) : BackgroundService
{
    static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200), WatchInterval = TimeSpan.FromMilliseconds(500);
    volatile bool _lookAgain;

    /// <summary>
    /// Before anyone can write, the simulated Telegram picks up where the last run left off, as Telegram does: update ids
    /// after those the bot has stored, and the chats of everyone who wrote to the bot.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await database.CreateDbContextAsync(cancellationToken);
            simulator.ContinueAfter(await db.ProcessedUpdates.MaxAsync(u => (long?)u.UpdateId, cancellationToken) ?? 0);
            simulator.ContinueChannelPostsAfter(await db.Questions.MaxAsync(q => q.ChannelMessageId, cancellationToken) ?? 0);
            simulator.RememberUsers(await db.Participants.AsNoTracking()
                .Select(p => new SimUser(p.Id, p.FirstName, p.LastName, p.Username, p.LanguageCode ?? "en"))
                .ToListAsync(cancellationToken));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            log.LogWarning(e, "The rehearsal could not read where the last run left off; the simulated Telegram starts afresh");
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivery = simulator.RunWebhookDeliveryAsync(stoppingToken);
        using var startedOver = changes.Subscribe(change =>
        {
            if (!change.StartedOver) return Task.CompletedTask;
            simulator.Crowd.EventStartedOver();
            // A question closed while the crowd was stopped is still open to it; opened again after the Start over, the
            // crowd would take it for the one it already played and stay silent. One look at the database puts that right.
            _lookAgain = true;
            return Task.CompletedTask;
        });
        if (options.Value.CrowdAutoStart) simulator.Crowd.Start();
        var time = simulator.Time;
        var lastWatch = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = time.GetUtcNow();
                if ((simulator.Crowd.IsRunning || _lookAgain) && now - lastWatch >= WatchInterval)
                {
                    lastWatch = now;
                    _lookAgain = false;
                    await WatchQuestionsAsync(stoppingToken);
                }
                simulator.Crowd.RunDue();
                await Task.Delay(Tick, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database may not be migrated yet, or be busy; the crowd tries again shortly.
                log.LogDebug(e, "The rehearsal crowd could not look at the questions");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        await delivery;
    }

    async Task WatchQuestionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.CreateDbContextAsync(cancellationToken);
        var open = await db.Questions.AsNoTracking()
            .Where(q => q.State == QuestionState.Open)
            .Select(q => new { q.Id, q.Code, q.Kind, q.AcceptedAnswers, q.Options, q.CorrectOption, q.NumericAnswer, q.Tolerance })
            .ToListAsync(cancellationToken);
        var known = simulator.Crowd.OpenQuestions;
        foreach (var q in open.Where(q => !known.Contains(q.Id)))
            simulator.Crowd.QuestionOpened(new CrowdQuestion(q.Id, q.Code, q.Kind, q.AcceptedAnswers, q.Options, q.CorrectOption, q.NumericAnswer, q.Tolerance));
        foreach (var id in known.Where(id => open.All(q => q.Id != id)))
            simulator.Crowd.QuestionClosed(id);
    }

}
