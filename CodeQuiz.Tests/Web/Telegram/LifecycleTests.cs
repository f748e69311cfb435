using System.Net;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CodeQuiz.Tests.Web.Telegram;

public class LifecycleTests : IAsyncLifetime
{
    readonly CodeQuizFactory _factory = new();
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));

    const string Secret = "lifecycle-secret";

    public Task InitializeAsync()
    {
        _factory.Settings["Telegram:SecretToken"] = Secret;
        _factory.ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time));
        _ = _factory.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    IQuizLifecycle Lifecycle => _factory.Services.GetRequiredService<IQuizLifecycle>();

    async Task<T> DbAsync<T>(Func<QuizDbContext, Task<T>> query)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    [Fact]
    public async Task OpeningAnnouncesTheQuestionInTheChannelAndClosingPostsTheResults()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q1aaaaaaaa", "go"));
        var id = questions[0].Id;

        var opened = await Lifecycle.OpenAsync(id);
        Assert.Equal(QuestionState.Open, opened.State);
        Assert.Equal(_time.GetUtcNow(), opened.OpenedAt);

        var closed = await Lifecycle.CloseAsync(id);
        Assert.Equal(QuestionState.Closed, closed.State);

        var stored = await DbAsync(db => db.Questions.SingleAsync(q => q.Id == id));
        Assert.Equal(QuestionState.Closed, stored.State);
        var posts = await DbAsync(db => db.OutboxMessages.Where(m => m.ChatId == "@codeweek").OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([OutboxPurpose.ChannelAnnouncement, OutboxPurpose.ChannelResults, OutboxPurpose.ChannelCount], posts.Select(p => p.Purpose));
        Assert.Contains("Q1aaaaaaaa", posts[0].Text);
        // The question post no longer invites answers, even with none to count.
        Assert.EndsWith("🔒 Closed · answers: <b>0</b>", posts[2].Text);
        Assert.DoesNotContain("Q1aaaaaaaa", posts[2].Text);
    }

    [Fact]
    public async Task AtTheCloseTheQuestionPostSaysClosedWithTheCountOfTheResults()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q6aaaaaaaa", "go"));
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await Lifecycle.OpenAsync(id);
        // Answers within the few seconds between two count edits: the post still says none.
        foreach (var (user, name) in new[] { (81L, "Ada"), (82L, "Bruno") })
        {
            await telegram.SendAsync(user, "/start Q6aaaaaaaa", name);
            await telegram.SendAsync(user, "go", name);
        }
        Assert.Equal(0, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.Purpose == OutboxPurpose.ChannelCount && m.QuestionId == id)));

        await Lifecycle.CloseAsync(id);

        var count = await DbAsync(db => db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelCount && m.QuestionId == id));
        var results = await DbAsync(db => db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == id));
        Assert.Contains("Closed · answers: <b>2</b>", count.Text);
        Assert.Contains("Answers: <b>2</b>", results.Text);
        // The sender goes by priority, then by id, and a channel gets one message a second: the results must not wait
        // a second behind the count.
        Assert.True((results.Priority, results.Id).CompareTo((count.Priority, count.Id)) < 0, "the count edit goes to the channel before the results");
    }

    [Fact]
    public async Task AForgottenAnswerLeavesTheCountOfEachQuestionPostItWasInClosedOrOpen()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek",
            Seed.FreeText("Q12aaaaaaa", "go"), Seed.FreeText("Q13aaaaaaa", "go"), Seed.FreeText("Q14aaaaaaa", "go"));
        var (answered, notAnswered, open) = (questions[0].Id, questions[1].Id, questions[2].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        async Task AnswerAsync(long user, string name, string code)
        {
            await telegram.SendAsync(user, "/start " + code, name);
            await telegram.SendAsync(user, "go", name);
        }
        Task<List<OutboxMessage>> CountEditsAsync(int id) => DbAsync(db => db.OutboxMessages
            .Where(m => m.Purpose == OutboxPurpose.ChannelCount && m.QuestionId == id).OrderBy(m => m.Id).ToListAsync());

        await Lifecycle.OpenAsync(answered);
        await AnswerAsync(91, "Ada", "Q12aaaaaaa");
        await AnswerAsync(92, "Bruno", "Q12aaaaaaa");
        await Lifecycle.CloseAsync(answered);
        await Lifecycle.OpenAsync(notAnswered);
        await AnswerAsync(92, "Bruno", "Q13aaaaaaa");
        await Lifecycle.CloseAsync(notAnswered);
        await Lifecycle.OpenAsync(open);
        await AnswerAsync(91, "Ada", "Q14aaaaaaa");
        await AnswerAsync(92, "Bruno", "Q14aaaaaaa");
        _time.Advance(TimeSpan.FromSeconds(5));
        await telegram.SendAsync(93, "/help", "Chiara"); // a batch once the count is due: the open question's post says 2
        Assert.Contains("Answers so far: <b>2</b>", (await CountEditsAsync(open))[^1].Text);

        _time.Advance(TimeSpan.FromSeconds(5));
        await telegram.SendAsync(91, "/forget", "Ada");

        // The closed question's post says the count of its results, which no longer counts Ada's answer; not urgent, as
        // the correction of the results' totals.
        var closedEdits = await CountEditsAsync(answered);
        Assert.Equal(["Closed · answers: <b>2</b>", "Closed · answers: <b>1</b>"], closedEdits.Select(m => m.Text![m.Text!.IndexOf("Closed", StringComparison.Ordinal)..]));
        Assert.Equal(OutboxMessage.NormalPriority, closedEdits[^1].Priority);
        Assert.Contains("Answers: <b>1</b>", await DbAsync(db => db.OutboxMessages
            .Where(m => m.Purpose == OutboxPurpose.ChannelResultsEdit && m.QuestionId == answered).Select(m => m.Text!).SingleAsync()));
        // Ada did not answer question 2: its post is not edited again.
        Assert.Contains("Closed · answers: <b>1</b>", Assert.Single(await CountEditsAsync(notAnswered)).Text);
        // The open question's post: its next count edit, due in this batch, already counts one answer fewer.
        Assert.Contains("Answers so far: <b>1</b>", (await CountEditsAsync(open))[^1].Text);
    }

    [Fact]
    public async Task AQuestionClosedByMistakeIsReopenedItsLateAnswersCountAndTheNextCloseRanksThemAll()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("Q20aaaaaaa", "go"), Seed.FreeText("Q21aaaaaaa", "go"));
        var (id, other) = (questions[0].Id, questions[1].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        async Task AnswerAsync(long user, string name)
        {
            await telegram.SendAsync(user, "/start Q20aaaaaaa", name);
            await telegram.SendAsync(user, "go", name);
        }
        Task<List<Answer>> AnswersAsync() => DbAsync(db => db.Answers.AsNoTracking().Where(a => a.QuestionId == id).OrderBy(a => a.UpdateId).ToListAsync());
        Task<List<OutboxMessage>> PostsAsync() => DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.QuestionId == id).OrderBy(m => m.Id).ToListAsync());

        Assert.Contains("only a closed question", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ReopenAsync(id))).Message);
        var opened = await Lifecycle.OpenAsync(id);
        Assert.Contains("only a closed question", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ReopenAsync(id))).Message);
        await AnswerAsync(101, "Ada");
        _time.Advance(TimeSpan.FromSeconds(2));
        await Lifecycle.CloseAsync(id); // the host was still speaking
        _time.Advance(TimeSpan.FromSeconds(2));
        await AnswerAsync(102, "Bruno");
        await AnswerAsync(104, "Rude Name");
        await Lifecycle.LeaveOutAsync(104, leaveOut: true);
        Assert.Equal([false, true, true], (await AnswersAsync()).Select(a => a.IsLate));

        var reopened = await Lifecycle.ReopenAsync(id);

        Assert.Equal((QuestionState.Open, null, opened.OpenedAt), (reopened.State, reopened.ClosedAt, reopened.OpenedAt)); // delays from the first opening
        var stored = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));
        Assert.Equal((QuestionState.Open, null, opened.OpenedAt), (stored.State, stored.ClosedAt, stored.OpenedAt));
        Assert.Equal([false, false, false], (await AnswersAsync()).Select(a => a.IsLate)); // Bruno's answer counts now
        // Bruno was told his answer does not rank: he hears that it does, after the replies waiting. Ada's always did; the
        // one left out still does not rank.
        var told = await DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.Text!.Contains("open again")).ToListAsync());
        var news = Assert.Single(told, m => m.Purpose == OutboxPurpose.Reply);
        Assert.Equal(("102", OutboxMessage.LowPriority), (news.ChatId, news.Priority));
        Assert.Contains("Question 1 is open again</b>: it was closed too soon, and your answer counts after all", news.Text);
        // The channel: the results post says the results follow, the question post invites answers again with the count.
        var posts = await PostsAsync();
        var reopenedPost = posts.Single(m => m.Purpose == OutboxPurpose.ChannelResultsEdit);
        Assert.Equal(OutboxMessage.UrgentPriority, reopenedPost.Priority);
        Assert.Contains("Question 1 is open again", reopenedPost.Text);
        var count = posts.Last(m => m.Purpose == OutboxPurpose.ChannelCount);
        Assert.True(count.Id > reopenedPost.Id);
        Assert.Contains("Q20aaaaaaa", count.Text);
        Assert.Contains("Answers so far: <b>3</b>", count.Text);

        await AnswerAsync(103, "Chiara");
        Assert.Equal([false, false, false, false], (await AnswersAsync()).Select(a => a.IsLate));
        await telegram.SendAsync(101, "gone", "Ada"); // still one answer each
        Assert.Equal(4, (await AnswersAsync()).Count);
        // Another question running: reopening would take the projector and the bot off it.
        await Lifecycle.CloseAsync(id);
        await Lifecycle.OpenAsync(other);
        Assert.Contains("Question 2 is open; close it before reopening question 1",
            (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ReopenAsync(id))).Message);

        // The second close posted the results anew, with all four answers and the three ranked in Telegram's order.
        var results = (await PostsAsync()).Where(m => m.Purpose == OutboxPurpose.ChannelResults).ToList();
        Assert.Equal(2, results.Count);
        Assert.Contains("Answers: <b>1</b>", results[0].Text);
        Assert.Contains("Answers: <b>4</b>", results[1].Text);
        Assert.DoesNotContain("Rude Name", results[1].Text);
        Assert.True(results[1].Text!.IndexOf("Ada", StringComparison.Ordinal) < results[1].Text!.IndexOf("Bruno", StringComparison.Ordinal));
        Assert.True(results[1].Text!.IndexOf("Bruno", StringComparison.Ordinal) < results[1].Text!.IndexOf("Chiara", StringComparison.Ordinal));
        var results2 = (await _factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(id))!;
        Assert.Equal((4, 0), (results2.TotalAnswers, results2.LateAnswers));
        Assert.Equal(["Ada", "Bruno", "Chiara"], results2.Ranking.Select(r => r.Name));
    }

    [Fact]
    public async Task AReopenedTimedQuestionRunsToItsDeadlineAndAtLeastThirtySecondsMore()
    {
        var timed = Seed.FreeText("Q22aaaaaaa", "go");
        timed.TimeLimitSeconds = 60;
        var (_, questions) = await Seed.EventAsync(_factory.Services, null, timed);
        var id = questions[0].Id;
        var opened = await Lifecycle.OpenAsync(id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        await telegram.SendAsync(121, "/start Q22aaaaaaa", "Ada");
        await telegram.SendAsync(121, "go", "Ada");

        _time.Advance(TimeSpan.FromSeconds(20));
        await Lifecycle.CloseAsync(id);
        _time.Advance(TimeSpan.FromSeconds(5));
        var early = await Lifecycle.ReopenAsync(id); // 35 s were left: it gets them back
        Assert.Equal((0, opened.OpenedAt!.Value.AddSeconds(60)), (early.ExtraSeconds, early.Deadline!.Value));

        _time.Advance(TimeSpan.FromSeconds(100)); // it closed itself at its deadline
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id))).State != QuestionState.Closed)
        {
            Assert.True(DateTime.UtcNow < until, "the question did not close at its deadline");
            await Task.Delay(50);
        }
        var late = await Lifecycle.ReopenAsync(id); // 125 s after it opened: 30 s from now
        Assert.Equal((95, _time.GetUtcNow().AddSeconds(30)), (late.ExtraSeconds, late.Deadline!.Value));
        var stored = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));
        Assert.Equal((QuestionState.Open, 95), (stored.State, stored.ExtraSeconds));

        await Lifecycle.CloseAsync(id);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Contains("more than 60 minutes ago", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ReopenAsync(id))).Message);
    }

    [Fact]
    public async Task AQuestionOpenedByMistakeAndReopenedInItsTurnStartsAfreshNobodyHavingAnsweredIt()
    {
        var timed = Seed.FreeText("Q23aaaaaaa", "go");
        timed.TimeLimitSeconds = 60;
        var (_, questions) = await Seed.EventAsync(_factory.Services, null, timed, Seed.FreeText("Q24aaaaaaa", "go"));
        var (id, other) = (questions[0].Id, questions[1].Id);
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };

        await Lifecycle.OpenAsync(id); // the wrong one
        _time.Advance(TimeSpan.FromSeconds(3));
        await Lifecycle.CloseAsync(id);
        await Lifecycle.OpenAsync(other);
        _time.Advance(TimeSpan.FromMinutes(5));
        await Lifecycle.CloseAsync(other);

        var reopened = await Lifecycle.ReopenAsync(id);

        Assert.Equal((_time.GetUtcNow(), 0, _time.GetUtcNow().AddSeconds(60)), (reopened.OpenedAt!.Value, reopened.ExtraSeconds, reopened.Deadline!.Value));
        var stored = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));
        Assert.Equal((_time.GetUtcNow(), 0), (stored.OpenedAt!.Value, stored.ExtraSeconds));
        // Delays count from the reopening, not from the slip five minutes earlier.
        _time.Advance(TimeSpan.FromSeconds(4));
        await telegram.SendAsync(111, "/start Q23aaaaaaa", "Ada");
        await telegram.SendAsync(111, "go", "Ada");
        await Lifecycle.CloseAsync(id);
        var results = (await _factory.Services.GetRequiredService<QuizResults>().GetQuestionResultsAsync(id))!;
        Assert.InRange(Assert.Single(results.Ranking).DelaySeconds, 3.9, 4.1);
    }

    [Fact]
    public async Task AnOpeningNobodyAnsweredIsTakenBackToDraftAndOneSomeoneAnsweredIsNot()
    {
        var timed = Seed.FreeText("Q25aaaaaaa", "go");
        timed.TimeLimitSeconds = 60;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        Task<List<OutboxMessage>> CountEditsAsync() => DbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.QuestionId == id && m.Purpose == OutboxPurpose.ChannelCount).OrderBy(m => m.Id).ToListAsync());

        Assert.Contains("only an open question can be taken back to draft",
            (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.WithdrawAsync(id))).Message);
        await Lifecycle.OpenAsync(id); // before the host introduced it
        await Lifecycle.ExtendAsync(id, 30);
        await telegram.SendAsync(131, "/start Q25aaaaaaa", "Ada"); // scanned, not answered yet

        var withdrawn = await Lifecycle.WithdrawAsync(id);

        Assert.Equal((QuestionState.Draft, null, null, 0), (withdrawn.State, withdrawn.OpenedAt, withdrawn.ClosedAt, withdrawn.ExtraSeconds));
        var stored = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));
        Assert.Equal((QuestionState.Draft, null, null, 0), (stored.State, stored.OpenedAt, stored.ClosedAt, stored.ExtraSeconds));
        // The channel's question post says so, without the code that would invite answers.
        var edit = (await CountEditsAsync()).Last();
        Assert.Equal(OutboxMessage.UrgentPriority, edit.Priority);
        Assert.Contains("Question 1 was opened too early", edit.Text);
        Assert.DoesNotContain("Q25aaaaaaa", edit.Text);
        // Ada's answer is not taken while it waits for its turn; she is told so.
        await telegram.SendAsync(131, "go", "Ada");
        var reply = await DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.ChatId == "131").OrderBy(m => m.Id).LastAsync());
        Assert.Contains("Question 1 is not open yet", reply.Text);
        Assert.Equal(0, await DbAsync(db => db.Answers.CountAsync(a => a.QuestionId == id)));
        Assert.Contains("only an open question", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.WithdrawAsync(id))).Message);

        // Opened in its turn: afresh, with its whole time limit; an edit of its earlier post still waiting is not sent to the new one.
        _time.Advance(TimeSpan.FromMinutes(3));
        var opened = await Lifecycle.OpenAsync(id);
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), opened.Deadline);
        Assert.DoesNotContain(await CountEditsAsync(), m => m.Status == OutboxStatus.Pending && m.Id <= edit.Id);
        await telegram.SendAsync(131, "go", "Ada");
        // Someone answered: it can only be closed now, and the answer stays.
        var refused = await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.WithdrawAsync(id));
        Assert.Contains("Question 1 has an answer already, so it cannot go back to draft", refused.Message);
        Assert.Equal(QuestionState.Open, (await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id))).State);
        Assert.Equal(1, await DbAsync(db => db.Answers.CountAsync(a => a.QuestionId == id)));
    }

    [Fact]
    public async Task IllegalTransitionsAreRefusedWithAClearReason()
    {
        var (_, questions) = await Seed.EventAsync(_factory.Services, null, Seed.FreeText("Q2aaaaaaaa", "go"));
        var id = questions[0].Id;

        var closeDraft = await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.CloseAsync(id));
        Assert.Contains("only an open question can be closed", closeDraft.Message);
        await Lifecycle.OpenAsync(id);
        await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.OpenAsync(id));
        await Lifecycle.CloseAsync(id);
        await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.OpenAsync(id));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Lifecycle.OpenAsync(999_999));
    }

    [Fact]
    public async Task ATimedQuestionClosesItselfAtItsDeadlineOnceAnswersSentInTimeHaveHadAMomentToArrive()
    {
        var timed = Seed.FreeText("Q3aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        var opened = (await Lifecycle.OpenAsync(id)).OpenedAt!.Value;
        await telegram.SendAsync(71, "/start Q3aaaaaaaa", "Ada");
        await telegram.SendAsync(72, "/start Q3aaaaaaaa", "Bruno");
        Task<QuestionState> StateAsync() => DbAsync(db => db.Questions.Where(q => q.Id == id).Select(q => q.State).SingleAsync());
        Task PostAsync(long from, string name, int sentAtSecond)
        {
            var update = telegram.Text(from, "go", name);
            update.Message!.Date = opened.AddSeconds(sentAtSecond).UtcDateTime; // Telegram's time of sending
            return telegram.PostAsync(update);
        }

        _time.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(300);
        Assert.Equal(QuestionState.Open, await StateAsync());

        // Past the limit, within the default grace of 3 s: Ada's answer, sent at 29 s, reaches us now and counts;
        // Bruno's, sent at 31 s, is late all the same.
        _time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(300);
        Assert.Equal(QuestionState.Open, await StateAsync());
        await PostAsync(71, "Ada", 29);
        await PostAsync(72, "Bruno", 31);

        _time.Advance(TimeSpan.FromSeconds(2.5));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await StateAsync() != QuestionState.Closed)
        {
            Assert.True(DateTime.UtcNow < deadline, "the question did not close after its deadline and the grace");
            await Task.Delay(50);
        }
        var answers = await DbAsync(db => db.Answers.Where(a => a.QuestionId == id).OrderBy(a => a.ParticipantId).ToListAsync());
        Assert.Equal([(71L, false), (72L, true)], answers.Select(a => (a.ParticipantId, a.IsLate)));
        var results = await DbAsync(db => db.OutboxMessages.SingleAsync(m => m.Purpose == OutboxPurpose.ChannelResults && m.QuestionId == id));
        Assert.Matches("🥇[^🥈]*Ada", results.Text);
        Assert.DoesNotContain("Bruno", results.Text);
    }

    [Fact]
    public async Task AHostsExtraSecondsMoveTheDeadlineShowInTheChannelAndAreForgottenWhenTheEventStartsOver()
    {
        var timed = Seed.FreeText("Q4aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (quizEvent, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed, Seed.FreeText("Q5aaaaaaaa", "go"));
        var (id, untimed) = (questions[0].Id, questions[1].Id);
        Task<Question> StoredAsync() => DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));

        Assert.Contains("only an open question", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ExtendAsync(id, 30))).Message);
        var opened = await Lifecycle.OpenAsync(id);
        await Lifecycle.OpenAsync(untimed);
        Assert.Contains("no time limit", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ExtendAsync(untimed, 30))).Message);
        Assert.Contains("between 1 and 3570", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ExtendAsync(id, 3571))).Message);
        Assert.Contains("between 1 and 3570", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ExtendAsync(id, 0))).Message);

        _time.Advance(TimeSpan.FromSeconds(25));
        var extended = await Lifecycle.ExtendAsync(id, 30);
        Assert.Equal((30, 60, opened.OpenedAt!.Value.AddSeconds(60)), (extended.ExtraSeconds, extended.TimeAllowedSeconds!.Value, extended.Deadline!.Value));
        Assert.Equal(30, (await StoredAsync()).ExtraSeconds);
        // The announcement's next count edit (at once: the count is due) tells the channel the new limit.
        Assert.Contains("Time limit: 60 s", await DbAsync(db => db.OutboxMessages
            .Where(m => m.Purpose == OutboxPurpose.ChannelCount && m.QuestionId == id).Select(m => m.Text!).SingleAsync()));

        _time.Advance(TimeSpan.FromSeconds(10)); // 35 s: past the limit set in the editor, within the new one
        await Task.Delay(300);
        Assert.Equal(QuestionState.Open, (await StoredAsync()).State);

        _time.Advance(TimeSpan.FromSeconds(29)); // 64 s: past the new limit and the grace for answers on their way
        var until = DateTime.UtcNow.AddSeconds(10);
        while ((await StoredAsync()).State != QuestionState.Closed)
        {
            Assert.True(DateTime.UtcNow < until, "the question did not close at its new deadline");
            await Task.Delay(50);
        }
        Assert.Contains("is closed", (await Assert.ThrowsAsync<QuestionStateException>(() => Lifecycle.ExtendAsync(id, 30))).Message);

        // After the rehearsal the show starts with the limit set in the editor.
        await Lifecycle.CloseAsync(untimed);
        await Lifecycle.StartOverAsync(quizEvent.Id);
        var again = await StoredAsync();
        Assert.Equal((QuestionState.Draft, 0, 30), (again.State, again.ExtraSeconds, again.TimeLimitSeconds!.Value));
    }

    [Fact]
    public async Task ASecondPlusThirtyMadeOnTheSameViewAsTheFirstIsRefusedNotAddedToAMinute()
    {
        var timed = Seed.FreeText("Q7aaaaaaaa", "go");
        timed.TimeLimitSeconds = 60;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        var opened = (await Lifecycle.OpenAsync(id)).OpenedAt!.Value;
        _time.Advance(TimeSpan.FromSeconds(20));

        // Host and co-host both hear "thirty more seconds!" and click on pages that both show no extra time yet.
        var host = Lifecycle.ExtendAsync(id, 30, expectedExtraSeconds: 0);
        var coHost = Lifecycle.ExtendAsync(id, 30, expectedExtraSeconds: 0);
        var refused = await Assert.ThrowsAsync<ChangedMeanwhileException>(async () => await Task.WhenAll(host, coHost));

        Assert.Equal("Question 1 was already given more time, by another organizer: 90 seconds in all now, 70 left. Nothing was added.", refused.Message);
        var stored = await DbAsync(db => db.Questions.AsNoTracking().SingleAsync(q => q.Id == id));
        Assert.Equal((30, opened.AddSeconds(90)), (stored.ExtraSeconds, stored.Deadline!.Value));

        // Clicked on a page that shows the extra time, or by a client that does not say what it saw: added.
        Assert.Equal(60, (await Lifecycle.ExtendAsync(id, 30, expectedExtraSeconds: 30)).ExtraSeconds);
        Assert.Equal(90, (await Lifecycle.ExtendAsync(id, 30)).ExtraSeconds);
    }

    [Fact]
    public async Task TwoDraftsOpenedAtTheSameMomentOnPagesShowingNoneOpenOpenOneAndTheOtherIsToldWhy()
    {
        var timed = Seed.FreeText("Q8aaaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed, Seed.FreeText("Q9aaaaaaaa", "go"), Seed.FreeText("Q10aaaaaaa", "go"));
        var ids = questions.Select(q => q.Id).ToList();
        await Lifecycle.OpenAsync(ids[0], onlyIfNoneOpen: true);
        // Its time ran out and it is closing itself (within the grace for answers on their way): it takes no answers that rank.
        _time.Advance(TimeSpan.FromSeconds(31));

        // The host opens question 2 and the co-host question 3, each on a page that shows none open, so neither was asked.
        var host = Lifecycle.OpenAsync(ids[1], onlyIfNoneOpen: true);
        var coHost = Lifecycle.OpenAsync(ids[2], onlyIfNoneOpen: true);
        var refused = await Assert.ThrowsAsync<ChangedMeanwhileException>(async () => await Task.WhenAll(host, coHost));

        Assert.Equal("Question 2 was opened meanwhile, by another organizer; question 3 is still a draft, so that both do not take answers unasked.", refused.Message);
        Assert.Equal(QuestionState.Open, (await host).State);
        Assert.Equal(QuestionState.Draft, await DbAsync(db => db.Questions.Where(q => q.Id == ids[2]).Select(q => q.State).SingleAsync()));
        Assert.Equal(0, await DbAsync(db => db.OutboxMessages.CountAsync(m => m.Purpose == OutboxPurpose.ChannelAnnouncement && m.QuestionId == ids[2])));

        // Asked, the co-host chose to have both open.
        Assert.Equal(QuestionState.Open, (await Lifecycle.OpenAsync(ids[2])).State);
    }
    [Fact]
    public async Task AnUpdateIsRefusedNotKeptAsADeadLetterWhenWhatStorageRefusesIsAQuestionClosingAtItsTimeLimit()
    {
        var timed = Seed.FreeText("Q11aaaaaaa", "go");
        timed.TimeLimitSeconds = 30;
        var (_, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", timed);
        var id = questions[0].Id;
        await Lifecycle.OpenAsync(id);
        // Something the database enforces that the close breaks: not the updates that arrive meanwhile.
        await SqlAsync("CREATE TRIGGER RefuseClose BEFORE UPDATE OF State ON Questions WHEN NEW.State = 2 " +
            "BEGIN SELECT RAISE(ABORT, 'the close breaks a rule'); END");
        _time.Advance(TimeSpan.FromSeconds(40));

        // The first update after the time limit closes the question in its batch: refused with it, and Telegram keeps it.
        var telegram = new TelegramUpdates(_factory.CreateClient(), Secret) { Clock = _time };
        var help = telegram.Text(91, "/help");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await telegram.TryPostAsync(help)).StatusCode);
        Assert.Equal(0, await DbAsync(db => db.DeadLetters.CountAsync()));
        Assert.Equal(0, await DbAsync(db => db.ProcessedUpdates.CountAsync(p => p.UpdateId == help.Id)));

        // Once the database lets the close through, the update sent again is stored as any other.
        await SqlAsync("DROP TRIGGER RefuseClose");
        Assert.Equal(HttpStatusCode.OK, (await telegram.TryPostAsync(help)).StatusCode);
        Assert.Equal(QuestionState.Closed, await DbAsync(db => db.Questions.Where(q => q.Id == id).Select(q => q.State).SingleAsync()));
        Assert.Equal(0, await DbAsync(db => db.DeadLetters.CountAsync()));
    }

    async Task SqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task AQuestionClosedAfterItsOrganizerStoppedWaitingStillShowsClosedOnEveryOpenPage()
    {
        var (quizEvent, questions) = await Seed.EventAsync(_factory.Services, "@codeweek", Seed.FreeText("QcAaaaaaaa", "go"));
        var id = questions[0].Id;
        await Lifecycle.OpenAsync(id);
        var told = new TaskCompletionSource<CatalogChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _factory.Services.GetRequiredService<CatalogChanges>().Subscribe(change =>
        {
            told.TrySetResult(change);
            return Task.CompletedTask;
        });

        // The writer is held up (another connection holds the write lock) when an organizer closes the question, and the
        // organizer's request ends (the browser closed, the API client gave up) before the close is written.
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_factory.DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }
        using var request = new CancellationTokenSource();
        var close = Lifecycle.CloseAsync(id, request.Token);
        var queue = _factory.Services.GetRequiredService<CodeQuiz.Core.Ingest.IngestQueue>();
        var until = DateTime.UtcNow.AddSeconds(15);
        while (queue.Count > 0 && DateTime.UtcNow < until) // taken by the writer, which waits for the lock with it
            await Task.Delay(20);
        await request.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => close);
        await using (var rollback = holder.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        // The close is written all the same: the pages showing the event must hear of it, as after any close.
        while (await DbAsync(db => db.Questions.Where(q => q.Id == id).Select(q => q.State).SingleAsync()) != QuestionState.Closed)
        {
            Assert.True(DateTime.UtcNow < until, "the close was not written");
            await Task.Delay(20);
        }
        var change = await told.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(quizEvent.Id, change.EventId);
    }
}
