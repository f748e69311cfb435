using System.Text.RegularExpressions;
using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace CodeQuiz.Tests.Core.Bot;

/// <summary>
/// The quiz as the batch writer would hold it, in memory: the conversation reads it, and
/// <see cref="Send"/> applies each decision the way the writer does, so tests can play a dialog.
/// </summary>
public sealed partial class ConversationWorld : IConversationState
{
    public const long Giulia = 987654321;
    // Just after the fixtures' messages were sent (2026-11-29 10:00:00–10:00:31 UTC).
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 10, 0, 40, TimeSpan.Zero);

    readonly Dictionary<long, Participant> _participants = [];
    readonly Dictionary<int, Question> _questions = [];
    readonly Dictionary<int, QuizEvent> _events = [];
    readonly List<Answer> _answers = [];
    int _nextUpdateId = 900_000_000;

    public BotConversation Conversation { get; } = new();
    public IReadOnlyList<Answer> Answers => _answers;
    public QuizEvent? CurrentEvent { get; set; }

    public QuizEvent AddEvent(string language = "en", string name = "Code Week 2026 final")
    {
        var e = new QuizEvent { Id = _events.Count + 1, Name = name, Language = language };
        _events[e.Id] = e;
        CurrentEvent = e;
        return e;
    }

    public Question AddQuestion(QuizEvent e, QuestionKind kind = QuestionKind.FreeText, QuestionState state = QuestionState.Open,
        string? code = null, int? timeLimit = null)
    {
        var id = _questions.Count + 1;
        var q = new Question
        {
            Id = id, EventId = e.Id, Position = id, Code = code ?? $"Code{id}x", Kind = kind, TimeLimitSeconds = timeLimit,
            Prompt = kind switch
            {
                QuestionKind.MultipleChoice => "Quale ciclo stampa 3 volte? `for (i=0;i<3;i++)`",
                QuestionKind.Numeric => "Quanto vale π con due decimali?",
                _ => "Chi ha scritto questo quiz?",
            },
            AcceptedAnswers = kind == QuestionKind.FreeText ? ["gio"] : [],
            Options = kind == QuestionKind.MultipleChoice ? ["while", "for", "do <until> & co"] : [],
            CorrectOption = kind == QuestionKind.MultipleChoice ? 1 : null,
            NumericAnswer = kind == QuestionKind.Numeric ? 3.14 : null,
            Tolerance = kind == QuestionKind.Numeric ? 0.005 : null,
        };
        if (state != QuestionState.Draft) q.Open(Now.AddMinutes(-1));
        if (state == QuestionState.Closed) q.Close(Now.AddSeconds(-10));
        _questions[q.Id] = q;
        e.Questions.Add(q);
        return q;
    }

    public Participant? Participant(long id) => _participants.GetValueOrDefault(id);

    /// <summary>What starting the event over does to it: answers deleted, questions drafts again, participants kept.</summary>
    public void StartOver(QuizEvent e)
    {
        var ids = e.Questions.Select(q => q.Id).ToHashSet();
        _answers.RemoveAll(a => ids.Contains(a.QuestionId));
        foreach (var q in e.Questions)
            q.StartOver();
    }

    /// <summary>Decides one update and applies the decision, as the batch writer does.</summary>
    public BotDecision Send(Update update, DateTimeOffset? receivedAt = null)
    {
        var decision = Conversation.Decide(update, this, receivedAt ?? Now);
        foreach (var message in decision.Messages)
            AssertTelegramHtml(message);
        if (decision.ForgetParticipantId is { } forget)
        {
            // Someone the organizers left out keeps only that mark, as in the batch writer.
            if (_participants.GetValueOrDefault(forget) is { LeftOutAt: { } leftOut } left)
                _participants[forget] = new Participant { Id = forget, FirstName = "", CreatedAt = left.CreatedAt, LeftOutAt = leftOut };
            else
                _participants.Remove(forget);
            _answers.RemoveAll(a => a.ParticipantId == forget);
        }
        if (decision.Participant is { } p)
            _participants[p.Id] = p;
        if (decision.Answer is { } a)
        {
            Assert.False(HasAnswered(a.QuestionId, a.ParticipantId), "the conversation recorded a second answer");
            _answers.Add(a);
        }
        return decision;
    }

    public BotDecision SendText(string text, long from = Giulia, DateTime? date = null, string firstName = "Giulia") =>
        Send(TextUpdate(text, from, date, firstName));

    public Update TextUpdate(string text, long from = Giulia, DateTime? date = null, string firstName = "Giulia") => new()
    {
        Id = ++_nextUpdateId,
        Message = new Message
        {
            Id = _nextUpdateId % 100_000,
            Date = date ?? Now.UtcDateTime.AddSeconds(-2),
            Chat = new Chat { Id = from, Type = ChatType.Private, FirstName = firstName },
            From = new User { Id = from, FirstName = firstName, LastName = "Rossi", Username = "giuliarossi", LanguageCode = "it" },
            Text = text,
        },
    };

    public Update ButtonUpdate(string data, long from = Giulia, int messageId = 17) => new()
    {
        Id = ++_nextUpdateId,
        CallbackQuery = new CallbackQuery
        {
            Id = "cb" + _nextUpdateId,
            From = new User { Id = from, FirstName = "Giulia", LastName = "Rossi", Username = "giuliarossi", LanguageCode = "it" },
            Message = new Message { Id = messageId, Date = Now.UtcDateTime.AddMinutes(-1), Chat = new Chat { Id = from, Type = ChatType.Private } },
            ChatInstance = "-1",
            Data = data,
        },
    };

    // IConversationState
    public Participant? FindParticipant(long telegramUserId) => _participants.GetValueOrDefault(telegramUserId);
    /// <summary>
    /// As QuizRuntime.FindQuestionByCode: the code as typed, else the one code that differs from it only in capitals
    /// (a phone capitalizes the first letter), none when two do.
    /// </summary>
    public Question? FindQuestionByCode(string code) =>
        _questions.Values.FirstOrDefault(q => q.Code == code)
        ?? (_questions.Values.Where(q => string.Equals(q.Code, code, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null);
    public Question? FindQuestionOneSlipFrom(string typed) => Tokens.QuestionOneSlipFrom(_questions.Values, typed);
    public Question? FindQuestion(int questionId) => _questions.GetValueOrDefault(questionId);
    public QuizEvent? FindEvent(int eventId) => _events.GetValueOrDefault(eventId);
    public Question? FindQuestionAt(int eventId, int position) =>
        _questions.Values.FirstOrDefault(q => q.EventId == eventId && q.Position == position);
    public Question? FindOpenQuestion(int eventId) =>
        _questions.Values.Where(q => q.EventId == eventId && q.State == QuestionState.Open).MaxBy(q => q.OpenedAt);
    public bool HasAnswered(int questionId, long participantId) => _answers.Any(a => a.QuestionId == questionId && a.ParticipantId == participantId);

    [GeneratedRegex("<(/?)([a-zA-Z]+)>|<|&(?!(lt|gt|amp|quot);)")]
    private static partial Regex Markup();

    static readonly HashSet<string> AllowedTags = ["b", "i", "code", "pre"];

    /// <summary>Only b, i, code and pre, properly nested; every other &lt; &gt; &amp; escaped; within Telegram's limit.</summary>
    public static void AssertTelegramHtml(OutboxMessage message)
    {
        if (message.Text is not { } html || message.Method == OutboxMethod.AnswerCallbackQuery)
            return;
        var stack = new Stack<string>();
        foreach (Match m in Markup().Matches(html))
        {
            Assert.True(m.Groups[2].Success, $"unescaped markup at {m.Index} in: {html}");
            var tag = m.Groups[2].Value;
            Assert.Contains(tag, AllowedTags);
            if (m.Groups[1].Value == "/")
                Assert.Equal(tag, stack.Pop());
            else
                stack.Push(tag);
        }
        Assert.Empty(stack);
        Assert.DoesNotContain(">", Regex.Replace(html, "</?(b|i|code|pre)>", ""));
        var visible = System.Net.WebUtility.HtmlDecode(Regex.Replace(html, "</?(b|i|code|pre)>", ""));
        Assert.True(visible.Length <= 4096, $"message of {visible.Length} characters");
    }
}
