using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Web.Telegram;

public class TimedCloseTests
{
    [Fact]
    public async Task AnswersQueuedBeforeTheCloseAreDecidedBeforeItEvenWhenTheWriterIsBehind()
    {
        const string Secret = "timed-secret";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
        await using var factory = new CodeQuizFactory { ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)) };
        factory.Settings["Telegram:SecretToken"] = Secret;
        factory.Settings["Ingest:MaxBatchSize"] = "2"; // the backlog takes several batches
        _ = factory.Server;
        var timed = Seed.FreeText("Q7aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        var opened = (await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(id)).OpenedAt!.Value;
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret) { Clock = time };
        var users = Enumerable.Range(1, 6).Select(i => 90L + i).ToList();
        foreach (var user in users)
            await telegram.SendAsync(user, "/start Q7aaaaaaaa", $"P{user}");
        time.Advance(TimeSpan.FromSeconds(29));

        // The writer is held up (another connection holds the write lock) while the last-second answers arrive.
        await using var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }
        // The writer first takes something of no consequence (leaving out nobody), alone, and waits for the lock with it: then
        // every answer stays queued, and counting them tells they have all arrived (and read the clock) before it moves on.
        var queue = factory.Services.GetRequiredService<IngestQueue>();
        var held = factory.Services.GetRequiredService<IQuizLifecycle>().LeaveOutAsync(999_999, leaveOut: false);
        var until = DateTime.UtcNow.AddSeconds(15);
        while (queue.Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
        var answers = users.Select(user =>
        {
            var update = telegram.Text(user, "go", $"P{user}");
            update.Message!.Date = opened.AddSeconds(28).UtcDateTime;
            return telegram.PostAsync(update);
        }).ToList();
        while (queue.Count < users.Count && DateTime.UtcNow < until)
            await Task.Delay(20);
        Assert.Equal(users.Count, queue.Count);
        time.Advance(TimeSpan.FromSeconds(11)); // past the deadline and its grace before the writer gets to them
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        await Task.WhenAll(answers);
        Assert.Null(await held);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var stored = await db.Answers.Where(a => a.QuestionId == id).ToListAsync();
        Assert.Equal(6, stored.Count);
        Assert.All(stored, a => Assert.False(a.IsLate, $"participant {a.ParticipantId}'s answer, sent at 28 s, was judged late"));
        Assert.Equal(QuestionState.Closed, (await db.Questions.SingleAsync(q => q.Id == id)).State);
    }

    [Fact]
    public async Task AnswersOfABatchWrittenAgainOneByOneAreDecidedBeforeTheCloseTheirTimeCameBefore()
    {
        const string Secret = "timed-secret";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
        await using var factory = new CodeQuizFactory { ConfigureServices = s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)) };
        factory.Settings["Telegram:SecretToken"] = Secret;
        _ = factory.Server;
        var timed = Seed.FreeText("Q8aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        var opened = (await factory.Services.GetRequiredService<IQuizLifecycle>().OpenAsync(id)).OpenedAt!.Value;
        var telegram = new TelegramUpdates(factory.CreateClient(), Secret) { Clock = time };
        var users = Enumerable.Range(1, 6).Select(i => 190L + i).ToList();
        foreach (var user in users)
            await telegram.SendAsync(user, "/start Q8aaaaaaaa", $"P{user}");
        time.Advance(TimeSpan.FromSeconds(29));

        // One update of the last-second flood is refused by storage for what it holds: its batch fails and is written
        // again one update at a time.
        const long Poison = 190_666;
        await using var holder = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using (var trigger = holder.CreateCommand())
        {
            trigger.CommandText = $"CREATE TRIGGER Poison BEFORE INSERT ON OutboxMessages WHEN NEW.ChatId = '{Poison}' " +
                "BEGIN SELECT RAISE(ABORT, 'the reply breaks a rule'); END; BEGIN IMMEDIATE;";
            await trigger.ExecuteNonQueryAsync();
        }
        var queue = factory.Services.GetRequiredService<IngestQueue>();
        var held = factory.Services.GetRequiredService<IQuizLifecycle>().LeaveOutAsync(999_999, leaveOut: false);
        var until = DateTime.UtcNow.AddSeconds(15);
        while (queue.Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(20);
        var poison = telegram.PostAsync(telegram.Text(Poison, "/help", "Poison"));
        while (queue.Count < 1 && DateTime.UtcNow < until)
            await Task.Delay(20);
        var answers = new List<Task<HttpResponseMessage>> { poison };
        foreach (var user in users)
        {
            var update = telegram.Text(user, "go", $"P{user}");
            update.Message!.Date = opened.AddSeconds(28).UtcDateTime;
            answers.Add(telegram.PostAsync(update));
            while (queue.Count < answers.Count && DateTime.UtcNow < until) // queued in this order
                await Task.Delay(20);
        }
        Assert.Equal(users.Count + 1, queue.Count);
        time.Advance(TimeSpan.FromSeconds(11)); // past the deadline and its grace before the writer gets to them
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
        await Task.WhenAll(answers);
        Assert.Null(await held);

        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        Assert.Single(await db.DeadLetters.ToListAsync());
        var stored = await db.Answers.Where(a => a.QuestionId == id).ToListAsync();
        Assert.Equal(6, stored.Count);
        Assert.All(stored, a => Assert.False(a.IsLate, $"participant {a.ParticipantId}'s answer, sent at 28 s, was judged late"));
        Assert.Equal(QuestionState.Closed, (await db.Questions.SingleAsync(q => q.Id == id)).State);
    }
}
