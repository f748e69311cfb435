using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Bot;

/// <summary>What the outbox sender reads of a timed question when it sends its prompts.</summary>
public sealed record TimedQuestion(QuestionState State, DateTimeOffset? Deadline, string? Language, int Position);

/// <summary>
/// The last line of a timed question's prompt, "⏱ 30 s left.", written again as the prompt leaves the outbox. Telegram takes
/// about 30 messages a second from a bot, so when a crowd scans a timed question at once the last prompts leave long after
/// the line was first written, some after the time ran out: each says what is left when it leaves, or that time is up.
/// </summary>
public static class TimeLeftLine
{
    /// <summary>Whole seconds left, rounded up: 0.4 s left is still "1 s left".</summary>
    public static int SecondsLeft(DateTimeOffset deadline, DateTimeOffset now) => (int)Math.Ceiling((deadline - now).TotalSeconds);

    /// <summary>
    /// The prompt with its last line as it reads at <paramref name="now"/>: the time left while the question runs; that time
    /// is up once it ran out or the question closed; no line at all when the question is gone or runs without a limit
    /// since. The new line is left out too where it would make the message longer than Telegram takes. A question taken
    /// back to draft (opened too early) has no prompt to answer any more: the reply is what a scan of it gets now.
    /// </summary>
    public static string Rewrite(string prompt, TimedQuestion? question, DateTimeOffset now)
    {
        var texts = BotTexts.For(question?.Language);
        if (question is { State: QuestionState.Draft })
            return texts.NotOpenYet(question.Position);
        var cut = prompt.LastIndexOf('\n');
        if (cut < 0)
            return prompt; // a prompt always has lines before its time left: this is not one, and goes as it is
        var rest = prompt[..cut];
        var line = question switch
        {
            { State: QuestionState.Open, Deadline: { } deadline } when deadline > now => texts.TimeLeft(SecondsLeft(deadline, now)),
            { State: QuestionState.Open, Deadline: not null } or { State: QuestionState.Closed } => texts.TimeIsUp,
            _ => null,
        };
        if (line is null)
            return rest;
        var text = rest + "\n" + line;
        return TelegramHtml.VisibleLength(text) <= TelegramHtml.MessageMax ? text : rest;
    }

    /// <summary>The prompt's buttons go with it, but not once its question is back in draft: the reply then says it is not open yet.</summary>
    public static bool KeepsItsButtons(TimedQuestion? question) => question is not { State: QuestionState.Draft };
}
