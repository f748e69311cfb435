using System.Text;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Core.Bot;

/// <summary>The posts in an event's Telegram channel, in the event's language (Telegram HTML).</summary>
public static class ChannelPosts
{
    static readonly string[] Medals = ["🥇", "🥈", "🥉"];

    /// <summary>The deep link a QR code holds: https://t.me/{bot}?start={code}.</summary>
    public static string DeepLink(string botUsername, string code) => $"https://t.me/{botUsername.TrimStart('@')}?start={code}";

    /// <summary>A question as it opens: number, prompt, how to answer, time limit.</summary>
    public static string Announcement(QuizEvent quizEvent, Question question, string? botUsername) =>
        Build(quizEvent, question, botUsername, answers: null);

    /// <summary>
    /// The announcement with a live count of answers (the announcement is edited to this). Without
    /// <paramref name="botUsername"/> the link is left out and the code alone says how to answer.
    /// </summary>
    public static string AnswerCount(QuizEvent quizEvent, Question question, int answers, string? botUsername = null) =>
        Build(quizEvent, question, botUsername, answers);

    /// <summary>
    /// The announcement once the question is closed (edited to this at the close): its final count, and no more link,
    /// code or time limit inviting answers the bot would only call late.
    /// </summary>
    public static string Closed(QuizEvent quizEvent, Question question, int answers) =>
        Build(quizEvent, question, botUsername: null, answers, closed: true);

    static string Build(QuizEvent quizEvent, Question question, string? botUsername, int? answers, bool closed = false)
    {
        var texts = BotTexts.For(quizEvent.Language);
        var head = texts.ChannelQuestion(question.Position) + "\n\n";
        var footer = new StringBuilder("\n\n");
        if (closed)
            footer.Append(texts.ChannelClosed(answers ?? 0));
        else
        {
            if (!string.IsNullOrWhiteSpace(botUsername))
                footer.Append(texts.ChannelAnswerLink(DeepLink(botUsername, question.Code))).Append('\n');
            footer.Append(texts.ChannelCode(question.Code));
            if (question.TimeAllowedSeconds is { } limit)
                footer.Append('\n').Append(texts.ChannelTimeLimit(limit));
            if (answers is { } count)
                footer.Append("\n\n").Append(texts.ChannelCount(count));
        }
        var tail = footer.ToString();
        if (question.Kind == QuestionKind.MultipleChoice && OptionList(question) is var list
            && TelegramHtml.VisibleLength(head) + TelegramHtml.ExpandTabs(question.Prompt).Length + TelegramHtml.VisibleLength(list + tail) <= TelegramHtml.MessageMax)
            tail = list + tail;
        return TelegramHtml.WithPrompt(head, question.Prompt, tail);
    }

    /// <summary>"\n\nA) …\nB) …": the options under a multiple-choice prompt.</summary>
    internal static string OptionList(Question question)
    {
        var sb = new StringBuilder("\n");
        for (var i = 0; i < question.Options.Count; i++)
            sb.Append('\n').Append("<b>").Append(QuestionRules.OptionLabel(i)).Append(")</b> ").Append(TelegramHtml.Escape(question.Options[i]));
        return sb.ToString();
    }

    /// <summary>What a results post is edited to when its question is reopened: the ranking it showed is no longer final.</summary>
    public static string Reopened(QuizEvent quizEvent, Question question) => BotTexts.For(quizEvent.Language).ResultsReopened(question.Position);

    /// <summary>
    /// What a question's post is edited to when the question goes back to draft, nobody having answered: opened too early,
    /// it is asked later, with a post of its own. Without the prompt, link or code: it is not taking answers.
    /// </summary>
    public static string Withdrawn(QuizEvent quizEvent, Question question) => BotTexts.For(quizEvent.Language).ChannelWithdrawn(question.Position);

    /// <summary>A closed question's outcome: totals, percent right, the right answer and the first three right answers.</summary>
    public static string Results(QuizEvent quizEvent, Question question, QuestionResults results)
    {
        var texts = BotTexts.For(quizEvent.Language);
        var sb = new StringBuilder(512);
        sb.Append(texts.ResultsTitle(question.Position)).Append("\n\n")
            .Append(texts.ResultsCorrectAnswer(question.CorrectAnswerLabelledIn(texts.Culture))).Append('\n')
            .Append(texts.ResultsTotals(results.TotalAnswers, results.Participants, results.People)).Append('\n');
        // No answer on time has no share of right ones: "0%" would read as everyone wrong (the console shows a dash).
        if (results.TotalAnswers > 0)
            sb.Append(texts.ResultsPercentCorrect(results.Correct, results.TotalAnswers)).Append('\n');
        sb.Append('\n');
        var podium = results.Ranking.Where(r => r.Rank is >= 1 and <= 3).OrderBy(r => r.Rank).Take(3).ToList();
        if (podium.Count == 0)
        {
            sb.Append(texts.ResultsNobody);
            return sb.ToString();
        }
        sb.Append(texts.ResultsFastest);
        // Decided over the places below the podium too, as the console, which shows them, decides them.
        var delays = QuizFormat.RankingDelays(results.Ranking.OrderBy(r => r.Rank).Select(r => r.DelaySeconds), texts.Culture);
        foreach (var (entry, delay) in podium.Zip(delays))
        {
            sb.Append('\n').Append(Medals[entry.Rank - 1]).Append(' ').Append(TelegramHtml.Quote(entry.Name, 64));
            if (!string.IsNullOrWhiteSpace(entry.Team))
                // Whole: the bot took it at 64 characters as a screen shows them, and 40 emoji are 80 UTF-16 units.
                sb.Append(" (").Append(TelegramHtml.Quote(entry.Team, Participant.TeamNameStoredMax)).Append(')');
            sb.Append(" — ").Append(delay);
        }
        return sb.ToString();
    }
}
