using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Telegram;
using CodeQuiz.Web.Rehearsal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Tests.Web.Rehearsal;

public class CrowdTests
{
    static readonly CrowdQuestion FreeText = new(1, "LOVELACE01", QuestionKind.FreeText, ["Ada Lovelace", "Lovelace"], [], null, null, null);
    static readonly CrowdQuestion Choice = new(2, "CHOICE0002", QuestionKind.MultipleChoice, [], ["Java", "Python", "Scratch", "C"], 1, null, null);

    [Fact]
    public async Task TheCrowdAnswersAnOpenFreeTextQuestionWithTheMixOfARealAudience()
    {
        var (simulator, time, bot) = Rehearsal(size: 150, seed: 7);
        simulator.Crowd.Start();
        simulator.Crowd.QuestionOpened(FreeText);
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(120));
        var closedAt = time.GetUtcNow();
        simulator.Crowd.QuestionClosed(FreeText.Id);
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(30));

        var answers = bot.Answers(FreeText.Code);
        var accepted = FreeText.AcceptedAnswers.ToHashSet();
        var exact = answers.Count(a => accepted.Contains(a.Text));
        var variants = answers.Count(a => !accepted.Contains(a.Text) && FreeText.AcceptedAnswers.Any(x => Same(x, a.Text)));
        var wrong = answers.Count(a => !FreeText.AcceptedAnswers.Any(x => Same(x, a.Text)));
        Assert.True(exact > 50, $"{exact} exact answers");
        Assert.True(variants > 10, $"{variants} right answers written differently");
        Assert.True(wrong > 10, $"{wrong} wrong answers");
        Assert.True(exact + variants > 2 * wrong);
        Assert.Contains(answers, a => a.Text.Contains('<') || a.Text.Contains('&'));
        Assert.True(answers.GroupBy(a => a.UserId).Count(g => g.Count() > 1) > 0, "double answers");
        Assert.True(answers.Count(a => a.At > closedAt) > 0, "late answers");
        Assert.True(bot.Stickers > 0 && bot.Photos > 0, $"{bot.Stickers} stickers, {bot.Photos} photos");
        var counters = simulator.Crowd.Counters;
        Assert.True(counters.Scans > 120, $"{counters.Scans} scans");
        Assert.Equal(answers.Count, simulator.DeliveredUpdates.Count(u => u.Message?.Text is { } t && !t.StartsWith('/') && bot.IsAnswer(u)));
    }

    [Fact]
    public async Task TheCrowdPressesTheButtonsTheBotSentThem()
    {
        var (simulator, time, bot) = Rehearsal(size: 80, seed: 3);
        simulator.Crowd.Start();
        simulator.Crowd.QuestionOpened(Choice);
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(120));

        var presses = simulator.DeliveredUpdates.Where(u => u.CallbackQuery is not null).Select(u => u.CallbackQuery!).ToList();
        Assert.True(presses.Count > 50, $"{presses.Count} presses");
        Assert.All(presses, p => Assert.Contains(p.Data!, bot.SentCallbackData));
        var firstPresses = presses.Where(p => p.Data!.StartsWith("a:")).GroupBy(p => p.From.Id).Select(g => g.First().Data).ToList();
        Assert.True(firstPresses.Count(d => d == "a:CHOICE0002:1") > firstPresses.Count / 2, "mostly right");
        Assert.Contains(firstPresses, d => d != "a:CHOICE0002:1");
        // A second press lands on whatever the keyboard shows after the first answer.
        Assert.Contains(presses, p => p.Data == "d:CHOICE0002");
    }

    [Fact]
    public async Task SomeOfTheCrowdRegisterATeamWithAHeadCount()
    {
        var (simulator, time, bot) = Rehearsal(size: 60, seed: 11);
        simulator.Crowd.Start();
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(120));

        Assert.True(bot.Teams.Count >= 3, $"{bot.Teams.Count} teams");
        Assert.All(bot.Teams.Values, t => Assert.InRange(t.HeadCount, 1, 30));
        // Mostly a phone each or a small group around one, as the bot's question asks: a team's people are their sum.
        Assert.True(bot.Teams.Values.Count(t => t.HeadCount <= 5) * 2 > bot.Teams.Count, string.Join(", ", bot.Teams.Values.Select(t => t.HeadCount)));
        Assert.Contains(simulator.Crowd.Participants[1].Id, bot.Teams.Keys); // Tom & Jerry always brings a team
        Assert.True(bot.Teams.Count < 30);
        Assert.True(simulator.Crowd.Counters.TeamRegistrations == bot.Teams.Count);
    }

    [Fact]
    public async Task AStoppedCrowdDoesNothingAndAResizedCrowdKeepsItsNames()
    {
        var (simulator, time, bot) = Rehearsal(size: 10, seed: 1);
        simulator.Crowd.QuestionOpened(FreeText);
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(60));
        Assert.Empty(simulator.DeliveredUpdates);

        simulator.Crowd.Resize(3);
        Assert.Equal(["<b>Bob</b>", "Tom & Jerry", "Giò"], simulator.Crowd.Participants.Select(p => p.FirstName));
        simulator.Crowd.Start();
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(120));
        Assert.Equal(3, simulator.DeliveredUpdates.Where(u => u.Message?.Text == $"/start {FreeText.Code}").Select(u => u.Message!.From!.Id).Distinct().Count());
    }

    [Fact]
    public async Task TheCrowdFindsTheBotsRepliesWhileTheOldestMessagesOfTheirChatsAreDropped()
    {
        var (simulator, time, bot) = Rehearsal(size: 40, seed: 5);
        // A long rehearsal before this question: the chats hold all the simulator keeps, so every new message drops an old one.
        simulator.RememberUsers(simulator.Crowd.Participants);
        for (var i = 0; i < TelegramSimulator.ChatHistorySize; i++)
            await simulator.ExecuteAsync(TelegramOptions.RehearsalToken, "sendMessage", BotApiParameters.From(
            [
                KeyValuePair.Create("chat_id", simulator.Crowd.Participants[i % 40].Id.ToString()),
                KeyValuePair.Create("text", $"earlier message {i}"),
            ]), CancellationToken.None);
        simulator.Crowd.Start();
        simulator.Crowd.QuestionOpened(Choice);
        await bot.PlayAsync(time, simulator, TimeSpan.FromSeconds(120));

        Assert.True(simulator.Chats().Sum(c => c.Dropped) > 100);
        Assert.Equal(0, simulator.Crowd.Counters.GaveUp);
        var pressed = simulator.DeliveredUpdates.Where(u => u.CallbackQuery?.Data?.StartsWith("a:") == true).Select(u => u.CallbackQuery!.From.Id).Distinct().Count();
        Assert.True(pressed > 30, $"{pressed} of 40 pressed a button");
    }

    static (TelegramSimulator, FakeTimeProvider, QuizBot) Rehearsal(int size, int seed)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 15, 18, 0, 0, TimeSpan.Zero));
        var options = new RehearsalOptions { CrowdSize = size, CrowdSeed = seed, Participation = 0.95, RateLimits = { Enabled = false } };
        var simulator = new TelegramSimulator(Options.Create(options), time, NullLogger<TelegramSimulator>.Instance);
        return (simulator, time, new QuizBot(simulator, [FreeText, Choice]));
    }

    static bool Same(string a, string b) => VirtualCrowd.Normalize(a) == VirtualCrowd.Normalize(b);

    /// <summary>A small stand-in for the real bot, polling the simulator: prompts, keyboards, team dialog, acknowledgements.</summary>
    sealed class QuizBot(TelegramSimulator simulator, CrowdQuestion[] questions)
    {
        long _offset;
        readonly Dictionary<long, CrowdQuestion> _current = [];
        readonly Dictionary<long, string> _dialog = [];
        readonly HashSet<Update> _answers = [];
        readonly List<(long UserId, string Code, string Text, DateTimeOffset At)> _answerLog = [];

        public HashSet<string> SentCallbackData { get; } = [];
        public Dictionary<long, (string Name, int HeadCount)> Teams { get; } = [];
        public int Stickers { get; private set; }
        public int Photos { get; private set; }

        public IReadOnlyList<(long UserId, string Text, DateTimeOffset At)> Answers(string code) =>
            [.. _answerLog.Where(a => a.Code == code).Select(a => (a.UserId, a.Text, a.At))];

        public bool IsAnswer(Update update) => _answers.Contains(update);

        public async Task PlayAsync(FakeTimeProvider time, TelegramSimulator sim, TimeSpan duration)
        {
            for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMilliseconds(250))
            {
                time.Advance(TimeSpan.FromMilliseconds(250));
                sim.Crowd.RunDue();
                await HandleUpdatesAsync(time);
            }
        }

        async Task HandleUpdatesAsync(TimeProvider time)
        {
            var updates = (Update[])await Call("getUpdates", new() { ["offset"] = _offset.ToString(), ["timeout"] = "0" });
            foreach (var update in updates)
            {
                _offset = update.Id + 1;
                if (update.CallbackQuery is { } query)
                {
                    await Call("answerCallbackQuery", new() { ["callback_query_id"] = query.Id, ["text"] = "Recorded" });
                    if (query.Data!.StartsWith("a:"))
                        await Call("editMessageReplyMarkup", new()
                        {
                            ["chat_id"] = query.From.Id.ToString(), ["message_id"] = query.Message!.Id.ToString(),
                            ["reply_markup"] = Keyboard([("✅ answered", $"d:{query.Data.Split(':')[1]}")]),
                        });
                    continue;
                }
                var message = update.Message!;
                var chat = message.Chat.Id;
                if (message.Sticker is not null) { Stickers++; await Say(chat, "I only understand text."); continue; }
                if (message.Photo is not null) { Photos++; await Say(chat, "I only understand text."); continue; }
                var text = message.Text!;
                if (text == "/start register") { _dialog[chat] = "name"; await Say(chat, "Team name?"); continue; }
                if (text.StartsWith("/start ") && questions.FirstOrDefault(q => q.Code == text[7..]) is { } question)
                {
                    _current[chat] = question;
                    if (question.Kind == QuestionKind.MultipleChoice)
                        await Say(chat, "Which language has blocks?", Keyboard([.. question.Options.Select((o, i) => ($"{(char)('A' + i)}) {o}", $"a:{question.Code}:{i}"))]));
                    else
                        await Say(chat, "Who wrote the first program? Type your answer.");
                    continue;
                }
                if (_dialog.TryGetValue(chat, out var step))
                {
                    if (step == "name") { _dialog[chat] = "count:" + text; await Say(chat, "How many people?"); continue; }
                    // The one number among words, as the bot takes it: "about 12 students" is 12.
                    if (int.TryParse(string.Concat(text.Where(char.IsAsciiDigit)), out var count)) { _dialog.Remove(chat); Teams[chat] = (step[6..], count); await Say(chat, "Team registered."); }
                    else await Say(chat, "Please send a number.");
                    continue;
                }
                if (_current.TryGetValue(chat, out var answered))
                {
                    _answers.Add(update);
                    _answerLog.Add((chat, answered.Code, text, time.GetUtcNow()));
                    await Say(chat, "Recorded &amp; thanks!");
                }
            }
        }

        string Keyboard((string Text, string Data)[] buttons)
        {
            foreach (var (_, data) in buttons) SentCallbackData.Add(data);
            return System.Text.Json.JsonSerializer.Serialize(
                new InlineKeyboardMarkup(buttons.Select(b => new[] { InlineKeyboardButton.WithCallbackData(b.Text, b.Data) })), JsonBotAPI.Options);
        }

        Task Say(long chat, string text, string? keyboard = null)
        {
            var parameters = new Dictionary<string, string> { ["chat_id"] = chat.ToString(), ["text"] = text, ["parse_mode"] = "HTML" };
            if (keyboard is not null) parameters["reply_markup"] = keyboard;
            return Call("sendMessage", parameters);
        }

        Task<object> Call(string method, Dictionary<string, string> parameters) =>
            simulator.ExecuteAsync(TelegramOptions.RehearsalToken, method, BotApiParameters.From(parameters), CancellationToken.None);
    }
}
