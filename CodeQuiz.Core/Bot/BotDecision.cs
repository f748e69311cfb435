using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Bot;

/// <summary>
/// What the bot conversation decided for one update: what to record and what to send.
/// The batch writer applies it to the in-memory state and writes it in the batch's transaction.
/// </summary>
public sealed class BotDecision
{
    /// <summary>A new participant, or an existing one whose names, team or dialog step changed (the whole row).</summary>
    public Participant? Participant { get; init; }

    /// <summary>The participant asked /forget: delete them and their answers.</summary>
    public long? ForgetParticipantId { get; init; }

    /// <summary>An answer to record: the conversation makes one only for a question the participant has not answered.</summary>
    public Answer? Answer { get; init; }

    /// <summary>Bot API calls to make, in order.</summary>
    public List<OutboxMessage> Messages { get; init; } = [];

    public static readonly BotDecision Ignore = new();

    public bool IsEmpty => Participant is null && ForgetParticipantId is null && Answer is null && Messages.Count == 0;
}

/// <summary>What the conversation may read: the quiz as the batch writer knows it right now.</summary>
public interface IConversationState
{
    Participant? FindParticipant(long telegramUserId);
    /// <summary>The question with this code; a code with other capitals finds it too, unless that is ambiguous.</summary>
    Question? FindQuestionByCode(string code);
    /// <summary>The one question whose code this is with a slip of the finger (<see cref="Tokens.QuestionOneSlipFrom"/>).</summary>
    Question? FindQuestionOneSlipFrom(string typed);
    Question? FindQuestion(int questionId);
    QuizEvent? FindEvent(int eventId);
    /// <summary>The event's question numbered so (its position).</summary>
    Question? FindQuestionAt(int eventId, int position);
    /// <summary>The event's open question (the latest opened, should there be two).</summary>
    Question? FindOpenQuestion(int eventId);

    /// <summary>The event participants talk to when they name no question (the one with the latest opened question, else the newest).</summary>
    QuizEvent? CurrentEvent { get; }

    bool HasAnswered(int questionId, long participantId);
}
