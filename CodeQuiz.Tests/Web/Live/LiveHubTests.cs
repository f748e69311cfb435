using System.Text.Json;
using System.Threading.Channels;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using CodeQuiz.Web.Live;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Live;

public class LiveHubTests
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AScreenJoinedWithThePresenterTokenSeesTheOpenQuestionAndItsCountersGrow()
    {
        await using var factory = new CodeQuizFactory();
        await using var screen = await Screen.ConnectAsync(factory);
        var seed = await new PresenterSeed(factory).CreateAsync();
        await seed.OpenAsync(seed.QuestionIds[0]);

        var joined = await screen.JoinAsync(seed.Token);

        Assert.Equal(PresenterPhase.Open, joined.Phase);
        Assert.Equal(1, joined.Question!.Number);
        Assert.Equal(3, joined.QuestionCount);
        Assert.EndsWith("?start=" + joined.Question.Code, joined.Question.DeepLink);
        Assert.Contains("x += 7", joined.Question.Prompt);
        Assert.NotNull(joined.Question.Deadline);
        Assert.Null(joined.Question.CorrectAnswer);

        var live = factory.Services.GetRequiredService<LiveStats>();
        live.Publish(Snapshot(seed, answers: 5, people: 42));
        var first = await screen.NextAsync(v => v.Counts.Answers == 5);
        Assert.Equal(42, first.View.Counts.People);

        live.Publish(Snapshot(seed, answers: 6, people: 43));
        var second = await screen.NextAsync(v => v.Counts.Answers == 6);
        Assert.Equal(43, second.View.Counts.People);
        Assert.DoesNotContain("Mallory", second.Json);
    }

    [Fact]
    public async Task ClosingTheQuestionSendsThePodiumInTelegramsOrderWithTeamsAndDelaysButNoWrongAnswersAuthor()
    {
        await using var factory = new CodeQuizFactory();
        await using var screen = await Screen.ConnectAsync(factory);
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q);
        await seed.AnswerAsync(q, 987654321, "Mallory", "41 lol", correct: false, afterSeconds: 1.0);
        await seed.AnswerAsync(q, 101, "Ada", "42", correct: true, afterSeconds: 3.2, team: "4B Rossi", headCount: 24);
        await seed.AnswerAsync(q, 102, "Linus", "42", correct: true, afterSeconds: 5.0);
        await seed.AnswerAsync(q, 103, "Grace", " 42.", correct: true, afterSeconds: 7.5);
        await seed.AnswerAsync(q, 104, "Margaret", "42", correct: true, afterSeconds: 9.0);
        await screen.JoinAsync(seed.Token);

        await seed.CloseAsync(q);
        var closed = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed);

        Assert.Equal(["Ada", "Linus", "Grace"], closed.View.Podium.Select(p => p.Name));
        Assert.Equal([1, 2, 3], closed.View.Podium.Select(p => p.Rank));
        Assert.Equal("4B Rossi", closed.View.Podium[0].Team);
        Assert.Equal(3.2, closed.View.Podium[0].DelaySeconds, precision: 1);
        Assert.Equal(new PresenterCounts(5, 28, 4), closed.View.Counts);
        Assert.Equal("42", closed.View.Question!.CorrectAnswer);
        Assert.Equal([("42", 4, true), ("Other answers", 1, false)], closed.View.Distribution.Select(b => (b.Label, b.Count, b.IsCorrect)));
        Assert.DoesNotContain("Mallory", closed.Json);
        Assert.DoesNotContain("987654321", closed.Json);
        Assert.DoesNotContain("41 lol", closed.Json);
    }

    [Fact]
    public async Task BetweenQuestionsTheScreensShowTheEventLeaderboard()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Presenter:PodiumSeconds"] = "0";
        await using var screen = await Screen.ConnectAsync(factory);
        var seed = await new PresenterSeed(factory).CreateAsync();
        var (q1, q2) = (seed.QuestionIds[0], seed.QuestionIds[1]);

        var before = await screen.JoinAsync(seed.Token);
        Assert.Equal(PresenterPhase.Between, before.Phase);
        Assert.Empty(before.Leaderboard);

        await seed.OpenAsync(q1);
        await seed.AnswerAsync(q1, 101, "Ada", "42", correct: true, afterSeconds: 10);
        await seed.AnswerAsync(q1, 102, "Linus", "42", correct: true, afterSeconds: 4);
        await seed.CloseAsync(q1);
        await seed.OpenAsync(q2);
        await seed.AnswerAsync(q2, 101, "Ada", "O(log n)", correct: true, afterSeconds: 2, option: 1);
        await seed.AnswerAsync(q2, 102, "Linus", "O(n)", correct: false, afterSeconds: 1, option: 0);
        await seed.CloseAsync(q2);

        var between = await screen.NextAsync(v => v.Phase == PresenterPhase.Between && v.Leaderboard.Count > 0);
        Assert.Equal(2, between.View.Question!.Number);
        Assert.Equal([(1, "Ada", 2, 12.0), (2, "Linus", 1, 4.0)],
            between.View.Leaderboard.Select(r => (r.Rank, r.Name, r.Correct, Math.Round(r.TotalDelaySeconds, 1))));
    }

    [Fact]
    public async Task TheHubFollowsTheRealPipelineFromOpeningThroughTelegramAnswersToThePodium()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "presenter-secret";
        var telegram = new TelegramUpdates(factory.CreateClient(), "presenter-secret");
        await using var screen = await Screen.ConnectAsync(factory);
        var (quiz, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("HubPipe001", "go"));
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        Assert.Equal(PresenterPhase.Between, (await screen.JoinAsync(quiz.PresenterToken)).Phase);

        await lifecycle.OpenAsync(questions[0].Id);
        Assert.Equal("HubPipe001", (await screen.NextAsync(v => v.Phase == PresenterPhase.Open)).View.Question!.Code);
        foreach (var (user, name) in new[] { (1L, "Ada"), (2L, "Mallory"), (3L, "Bruno") })
            await telegram.SendAsync(user, "/start HubPipe001", name);
        await telegram.SendAsync(1, "go", "Ada");
        await telegram.SendAsync(2, "rust is better", "Mallory");
        await telegram.SendAsync(3, "Go!", "Bruno");

        var counted = await screen.NextAsync(v => v.Counts.Answers == 3);
        Assert.Equal(3, counted.View.Counts.People);
        Assert.DoesNotContain("Mallory", counted.Json);
        Assert.DoesNotContain("rust", counted.Json);

        await lifecycle.CloseAsync(questions[0].Id);
        var closed = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed);
        Assert.Equal(["Ada", "Bruno"], closed.View.Podium.Select(p => p.Name));
        Assert.DoesNotContain("Mallory", closed.Json);
        Assert.DoesNotContain("rust", closed.Json);
    }

    [Fact]
    public async Task AnUnknownPresenterTokenIsRefused()
    {
        await using var factory = new CodeQuizFactory();
        await using var screen = await Screen.ConnectAsync(factory);

        var refused = await Assert.ThrowsAsync<HubException>(() => screen.JoinAsync("NotARealPresenterToken123"));

        Assert.Contains("not valid", refused.Message);
    }

    [Fact]
    public async Task RegeneratingTheTokenTellsScreensOnTheOldLinkAndRefusesIt()
    {
        await using var factory = new CodeQuizFactory();
        await using var screen = await Screen.ConnectAsync(factory);
        var seed = await new PresenterSeed(factory).CreateAsync();
        var oldToken = seed.Token;
        await screen.JoinAsync(oldToken);

        await seed.RegenerateTokenAsync();

        await screen.Revoked.WaitAsync(Patience);
        await using var another = await Screen.ConnectAsync(factory);
        await Assert.ThrowsAsync<HubException>(() => another.JoinAsync(oldToken));
        Assert.Equal(PresenterPhase.Between, (await another.JoinAsync(seed.Token)).Phase);
    }

    [Fact]
    public async Task LeavingAParticipantOutOfTheRankingsTakesThemOffThePodiumOnTheScreens()
    {
        await using var factory = new CodeQuizFactory();
        await using var screen = await Screen.ConnectAsync(factory);
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q);
        await seed.AnswerAsync(q, 101, "Rude Name", "42", correct: true, afterSeconds: 2.0);
        await seed.AnswerAsync(q, 102, "Linus", "42", correct: true, afterSeconds: 5.0);
        await seed.AnswerAsync(q, 103, "Grace", "42", correct: true, afterSeconds: 7.5);
        await seed.AnswerAsync(q, 104, "Margaret", "42", correct: true, afterSeconds: 9.0);
        await screen.JoinAsync(seed.Token);
        await seed.CloseAsync(q);
        var closed = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed);
        Assert.Equal(["Rude Name", "Linus", "Grace"], closed.View.Podium.Select(p => p.Name));
        Assert.DoesNotContain("participantId", closed.Json, StringComparison.OrdinalIgnoreCase); // the link is shared: no Telegram ids

        // What the batch writer does when an organizer leaves them out: stored, then the rankings' version moves on.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync())
            await db.Participants.Where(p => p.Id == 101).ExecuteUpdateAsync(u => u.SetProperty(p => p.LeftOutAt, DateTimeOffset.UtcNow));
        factory.Services.GetRequiredService<LiveStats>().RankingsChanged();

        var without = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed && v.Podium.All(p => p.Name != "Rude Name"));
        Assert.Equal(["Linus", "Grace", "Margaret"], without.View.Podium.Select(p => p.Name));
    }

    [Fact]
    public async Task AfterStartOverTheScreensShowTheShowsPodiumNotTheRehearsals()
    {
        await using var factory = new CodeQuizFactory();
        factory.Settings["Telegram:SecretToken"] = "presenter-secret";
        var telegram = new TelegramUpdates(factory.CreateClient(), "presenter-secret");
        await using var screen = await Screen.ConnectAsync(factory);
        var (quiz, questions) = await Seed.EventAsync(factory.Services, null, Seed.FreeText("HubPipe002", "go"));
        var lifecycle = factory.Services.GetRequiredService<IQuizLifecycle>();
        await screen.JoinAsync(quiz.PresenterToken);

        await lifecycle.OpenAsync(questions[0].Id);
        await telegram.SendAsync(1, "/start HubPipe002", "RehearsalBot");
        await telegram.SendAsync(1, "go", "RehearsalBot");
        await lifecycle.CloseAsync(questions[0].Id);
        var rehearsal = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed);
        Assert.Equal(["RehearsalBot"], rehearsal.View.Podium.Select(p => p.Name));

        await lifecycle.StartOverAsync(quiz.Id);
        await screen.NextAsync(v => v.Phase == PresenterPhase.Between);
        await lifecycle.OpenAsync(questions[0].Id);
        await screen.NextAsync(v => v.Phase == PresenterPhase.Open);
        await telegram.SendAsync(2, "/start HubPipe002", "Ada");
        await telegram.SendAsync(2, "go", "Ada");
        await telegram.SendAsync(3, "/start HubPipe002", "Bruno");
        await telegram.SendAsync(3, "go", "Bruno");
        await lifecycle.CloseAsync(questions[0].Id);
        var show = await screen.NextAsync(v => v.Phase == PresenterPhase.Closed);
        Assert.Equal(["Ada", "Bruno"], show.View.Podium.Select(p => p.Name));
        Assert.Equal(2, show.View.Counts.Answers);
    }

    [Fact]
    public async Task AScreenJoiningAsTheQuestionClosesEndsOnThePodiumNotOnTheOpenQuestion()
    {
        // A projector reconnecting (the hall's Wi-Fi) at the moment the organizer closes the question: the screens already
        // there are sent the podium just before this one is in the event's group. Its own view must not be the older one,
        // which nothing would replace until the podium's time is up.
        var groups = new HookedGroups();
        await using var factory = new CodeQuizFactory
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<DefaultHubLifetimeManager<LiveHub>>();
                services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => groups.Around(sp.GetRequiredService<DefaultHubLifetimeManager<LiveHub>>()));
            },
        };
        var seed = await new PresenterSeed(factory).CreateAsync();
        var q = seed.QuestionIds[0];
        await seed.OpenAsync(q);
        await using var already = await Screen.ConnectAsync(factory);
        Assert.Equal(PresenterPhase.Open, (await already.JoinAsync(seed.Token)).Phase);
        await using var reconnecting = await Screen.ConnectAsync(factory);

        groups.BeforeNextAdd = async () =>
        {
            await seed.CloseAsync(q);
            await already.NextAsync(v => v.Phase == PresenterPhase.Closed);
        };
        var joined = await reconnecting.JoinAsync(seed.Token);

        var shown = joined.Phase == PresenterPhase.Closed ? joined : (await reconnecting.NextAsync(v => v.Phase == PresenterPhase.Closed)).View;
        Assert.Equal(PresenterPhase.Closed, shown.Phase);
    }

    [Fact]
    public async Task AScreenThatStopsTakingItsUpdatesHoldsBackNoOtherScreen()
    {
        // A projector whose Wi-Fi dropped without a word: sending to it waits until the server gives up on the connection.
        // Meanwhile the other events' screens (and this event's overlay) must go on getting their counts.
        var groups = new HookedGroups();
        await using var factory = new CodeQuizFactory
        {
            ConfigureServices = services =>
            {
                services.AddSingleton<DefaultHubLifetimeManager<LiveHub>>();
                services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => groups.Around(sp.GetRequiredService<DefaultHubLifetimeManager<LiveHub>>()));
            },
        };
        var cutOff = await new PresenterSeed(factory).CreateAsync();
        var other = await new PresenterSeed(factory).CreateAsync();
        await cutOff.OpenAsync(cutOff.QuestionIds[0]);
        await other.OpenAsync(other.QuestionIds[0]);
        await using var gone = await Screen.ConnectAsync(factory);
        await gone.JoinAsync(cutOff.Token);
        groups.Stalled = PresenterAudience.GroupOf(cutOff.Token);
        await using var screen = await Screen.ConnectAsync(factory);
        await screen.JoinAsync(other.Token);
        var live = factory.Services.GetRequiredService<LiveStats>();

        foreach (var answers in new[] { 5, 6, 7 })
        {
            live.Publish(new LiveSnapshot(DateTimeOffset.UtcNow,
                [new LiveQuestion(cutOff.QuestionIds[0], cutOff.EventId, answers, answers, answers, 0, 0, 0),
                 new LiveQuestion(other.QuestionIds[0], other.EventId, answers, answers, answers, 0, 0, 0)], [], 0, 0));
            await screen.NextAsync(v => v.Counts.Answers == answers);
        }
    }

    static LiveSnapshot Snapshot(PresenterSeed seed, int answers, int people) => new(
        DateTimeOffset.UtcNow,
        [new LiveQuestion(seed.QuestionIds[0], seed.EventId, answers, answers, people, answers / 2, 2.5, 0)],
        // Names and texts of recent answers are for the console only; the hub must not pass them on.
        [new RecentAnswer(seed.QuestionIds[0], "Mallory", null, "41 lol", false, DateTimeOffset.UtcNow, 666)],
        0, 0);

    /// <summary>The hub's groups, with a step run once before the next screen is added to one.</summary>
    sealed class HookedGroups
    {
        Func<Task>? _beforeNextAdd;
        string? _stalled;

        /// <summary>A group whose sends never end, as with a screen whose network dropped without a word while data waited for it.</summary>
        public string? Stalled { set => Volatile.Write(ref _stalled, value); }

        public Func<Task>? BeforeNextAdd { set => Volatile.Write(ref _beforeNextAdd, value); }

        public HubLifetimeManager<LiveHub> Around(HubLifetimeManager<LiveHub> inner) => new Manager(this, inner);

        sealed class Manager(HookedGroups hooks, HubLifetimeManager<LiveHub> inner) : HubLifetimeManager<LiveHub>
        {
            public override async Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
            {
                if (Interlocked.Exchange(ref hooks._beforeNextAdd, null) is { } before)
                    await before();
                await inner.AddToGroupAsync(connectionId, groupName, cancellationToken);
            }

            public override Task OnConnectedAsync(HubConnectionContext connection) => inner.OnConnectedAsync(connection);
            public override Task OnDisconnectedAsync(HubConnectionContext connection) => inner.OnDisconnectedAsync(connection);
            public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
                inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);
            public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendAllAsync(methodName, args, cancellationToken);
            public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
                inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);
            public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);
            public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);
            public override async Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default)
            {
                if (groupName == Volatile.Read(ref hooks._stalled))
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                await inner.SendGroupAsync(groupName, methodName, args, cancellationToken);
            }
            public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);
            public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
                inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);
            public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendUserAsync(userId, methodName, args, cancellationToken);
            public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
                inner.SendUsersAsync(userIds, methodName, args, cancellationToken);
        }
    }

    /// <summary>A presenter screen: a SignalR client over the test server that records every "state" it is sent.</summary>
    sealed class Screen : IAsyncDisposable
    {
        readonly HubConnection _connection;
        readonly Channel<(PresenterView View, string Json)> _states = Channel.CreateUnbounded<(PresenterView, string)>();
        readonly TaskCompletionSource _revoked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        Screen(HubConnection connection)
        {
            _connection = connection;
            _connection.On<JsonElement>("state", e => _states.Writer.TryWrite((e.Deserialize<PresenterView>(Json)!, e.GetRawText())));
            _connection.On("revoked", () => _revoked.TrySetResult());
        }

        public Task Revoked => _revoked.Task;

        public static async Task<Screen> ConnectAsync(CodeQuizFactory factory)
        {
            var server = factory.Server;
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, "/hubs/live"), o =>
                {
                    o.HttpMessageHandlerFactory = _ => server.CreateHandler();
                    o.Transports = HttpTransportType.LongPolling;
                })
                .Build();
            await connection.StartAsync();
            return new Screen(connection);
        }

        public Task<PresenterView> JoinAsync(string token) => _connection.InvokeAsync<PresenterView>("Join", token);

        public async Task<(PresenterView View, string Json)> NextAsync(Func<PresenterView, bool> wanted)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (true)
            {
                var state = await _states.Reader.ReadAsync(timeout.Token);
                if (wanted(state.View))
                    return state;
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
