using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using System.Text;
using CodeQuiz.Core.Quizzes;

[assembly: NeutralResourcesLanguage("en")]

namespace CodeQuiz.Core.Bot;

/// <summary>
/// The bot's texts in one language, from BotTexts.resx (English) and BotTexts.&lt;language&gt;.resx;
/// adding a language is adding a resource file. Texts are Telegram HTML; every string argument is
/// escaped here, so callers pass user text as it is.
/// </summary>
public sealed class BotTexts
{
    static readonly ResourceManager Resources = new("CodeQuiz.Core.Bot.BotTexts", typeof(BotTexts).Assembly);
    static readonly ConcurrentDictionary<string, BotTexts> Cache = new(StringComparer.OrdinalIgnoreCase);

    readonly FrozenDictionary<string, CompositeFormat> _texts;

    BotTexts(CultureInfo culture)
    {
        Culture = culture;
        var neutral = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException("The bot's English texts (BotTexts.resx) are missing from the assembly.");
        var texts = new Dictionary<string, CompositeFormat>();
        foreach (System.Collections.DictionaryEntry entry in neutral)
        {
            var key = (string)entry.Key;
            texts[key] = CompositeFormat.Parse(Resources.GetString(key, culture) ?? (string)entry.Value!);
        }
        _texts = texts.ToFrozenDictionary();
    }

    /// <summary>English.</summary>
    public static BotTexts Default => For("en");

    /// <summary>The texts for an event's language ("en", "it", "it-IT"…); English when there is no such translation.</summary>
    public static BotTexts For(string? language)
    {
        language = string.IsNullOrWhiteSpace(language) ? "en" : language.Trim();
        return Cache.GetOrAdd(language, static l => new BotTexts(CultureOf(l)));
    }

    /// <summary>Whether a resource file translates the bot into this language (English always).</summary>
    public static bool IsSupported(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
            return false;
        for (var culture = CultureOf(language.Trim()); culture.Name.Length > 0; culture = culture.Parent)
        {
            if (culture.TwoLetterISOLanguageName == "en" || Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null)
                return true;
        }
        return false;
    }

    static CultureInfo CultureOf(string language)
    {
        try { return CultureInfo.GetCultureInfo(language); }
        catch (CultureNotFoundException) { return CultureInfo.GetCultureInfo("en"); }
    }

    /// <summary>The decimal mark of this language (3,5 s in Italian); otherwise numbers follow <see cref="QuizFormat"/>.</summary>
    public CultureInfo Culture { get; }

    internal string Text(string key) => _texts[key].Format;
    string Format<T>(string key, T arg) => string.Format(Culture, _texts[key], arg);
    string Format<T1, T2>(string key, T1 arg1, T2 arg2) => string.Format(Culture, _texts[key], arg1, arg2);
    string Format<T1, T2, T3>(string key, T1 a1, T2 a2, T3 a3) => string.Format(Culture, _texts[key], a1, a2, a3);
    static string E(string? text) => TelegramHtml.Escape(TelegramHtml.CloseDirections(text));
    static string N(int count) => QuizFormat.Count(count);

    // Conversation
    public string HowToPlay => Text(nameof(HowToPlay));
    public string Welcome(string? eventName) => Format(nameof(Welcome), E(eventName is { Length: > 0 } ? eventName : Text("DefaultEventName")));
    public string QuestionTitle(int number) => Format(nameof(QuestionTitle), number);
    public string PromptFreeText => Text(nameof(PromptFreeText));
    public string PromptNumeric => Text(nameof(PromptNumeric));
    public string PromptChoice => Text(nameof(PromptChoice));
    public string TimeLeft(int seconds) => Format(nameof(TimeLeft), QuizFormat.Seconds(seconds));
    /// <summary>In place of <see cref="TimeLeft"/> in a prompt that left the outbox after the time ran out.</summary>
    public string TimeIsUp => Text(nameof(TimeIsUp));
    public string NotOpenYet(int number) => Format(nameof(NotOpenYet), number);
    public string SentBeforeOpening(int number, bool timeUp = false) => Format(timeUp ? "SentBeforeOpeningTimeUp" : nameof(SentBeforeOpening), number);
    public string NotOpenYetScannedAnotherIs(int number, int openNumber, string openCode) => Format(nameof(NotOpenYetScannedAnotherIs), number, openNumber, E(openCode));
    public string NotOpenYetAnotherIs(int number, int openNumber, string openCode) => Format(nameof(NotOpenYetAnotherIs), number, openNumber, E(openCode));
    public string OpenNow(int number, string code) => Format(nameof(OpenNow), number, E(code));
    public string Closed(int number) => Format(nameof(Closed), number);
    public string TimeUp(int number) => Format(nameof(TimeUp), number);
    public string WordsAfterCode => Text(nameof(WordsAfterCode));
    public string UnknownCode(string code) => Format(nameof(UnknownCode), TelegramHtml.Quote(code, 64));
    public string AlreadyAnswered(int number) => Format(nameof(AlreadyAnswered), number);
    public string Recorded(int number, string answer) => Format(nameof(Recorded), number, TelegramHtml.Quote(answer));
    /// <param name="timeUp">Sent after the time limit while the question is still open for answers on their way: not "closed".</param>
    public string LateRight(int number, bool timeUp = false) => Format(timeUp ? "LateRightTimeUp" : nameof(LateRight), number);
    public string LateWrong(int number, string rightAnswer, bool timeUp = false) =>
        Format(timeUp ? "LateWrongTimeUp" : nameof(LateWrong), number, TelegramHtml.Quote(rightAnswer, 300));
    public string ChooseAnOption(string letters) => Format(nameof(ChooseAnOption), E(letters));
    public string WhichOption(string first, string second) => Format(nameof(WhichOption), E(first), E(second));
    public string SendANumber => Text(nameof(SendANumber));
    public string EmojiAnswer(int question) => Format(nameof(EmojiAnswer), question);
    public string GreetingAnswer(int question) => Format(nameof(GreetingAnswer), question);
    public string BlankAnswer(int question) => Format(nameof(BlankAnswer), question);
    public string UnknownCommand(string command, int number) => Format(nameof(UnknownCommand), TelegramHtml.Quote(command, 64), number);
    public string NoQuestion => Text(nameof(NoQuestion));
    public string Unsupported => Text(nameof(Unsupported));
    public string Forwarded => Text(nameof(Forwarded));
    public string OnlyText => Text(nameof(OnlyText));
    public string ForwardedNotTaken => Text(nameof(ForwardedNotTaken));
    public string Edited => Text(nameof(Edited));
    public string EditedNotRead => Text(nameof(EditedNotRead));
    public string TeamAskName(int min, int max) => Format(nameof(TeamAskName), min, max);
    /// <param name="people">Null when the head count was never sent: the team is not "1 people" because of that.</param>
    public string TeamCurrent(string team, int? people) => people switch
    {
        null => Format("TeamCurrentNoCount", E(team)),
        1 => Format("TeamCurrentOne", E(team)),
        var n => Format(nameof(TeamCurrent), E(team), N(n.Value)),
    };
    public string TeamNameInvalid(int length, int min, int max) => Format(nameof(TeamNameInvalid), length, min, max);
    public string TeamNameInvisible(int visible, int min) => Format(nameof(TeamNameInvisible), visible, min);
    public string TeamNameTooManyPieces => Text(nameof(TeamNameTooManyPieces));
    public string TeamAskHeadCount(string team, int min, int max) => Format(nameof(TeamAskHeadCount), E(team), min, max);
    public string TeamHeadCountInvalid(int min, int max) => Format(nameof(TeamHeadCountInvalid), min, max);
    public string TeamRegistered(string team, int people) =>
        people == 1 ? Format("TeamRegisteredOne", E(team)) : Format(nameof(TeamRegistered), E(team), N(people));
    public string TeamLeft => Text(nameof(TeamLeft));
    public string TeamLeftNone => Text(nameof(TeamLeftNone));
    public string TeamLeftNamedSo(string word) => Format(nameof(TeamLeftNamedSo), E(word));
    public string AnswerStillWaits(int number) => Format(nameof(AnswerStillWaits), number);
    public string HeadCountNotAnswer(int people, int number) => Format(nameof(HeadCountNotAnswer), N(people), number);
    public string RegisteringNotAnswer(int number, string code) => Format(nameof(RegisteringNotAnswer), number, E(code));
    public string Forgotten => Text(nameof(Forgotten));
    public string ForgottenLeftOut => Text(nameof(ForgottenLeftOut));

    // Toasts of answerCallbackQuery: plain text, not HTML.
    public string ToastRecorded(string option) => Format(nameof(ToastRecorded), option);
    public string ToastAlreadyAnswered => Text(nameof(ToastAlreadyAnswered));
    public string ToastStale => Text(nameof(ToastStale));
    public string ToastNotOpen => Text(nameof(ToastNotOpen));
    public string ToastForgotten(string code) => Format(nameof(ToastForgotten), code);
    public string ToastAnswerDeleted(string code) => Format(nameof(ToastAnswerDeleted), code);
    public string ToastLateRight(bool timeUp = false) => Text(timeUp ? "ToastLateRightTimeUp" : nameof(ToastLateRight));
    public string ToastLateWrong(string rightAnswer, bool timeUp = false) =>
        Format(timeUp ? "ToastLateWrongTimeUp" : nameof(ToastLateWrong), TelegramHtml.CloseDirections(TelegramHtml.Truncate(rightAnswer, 80)));

    // Channel posts
    public string ChannelQuestion(int number) => Format(nameof(ChannelQuestion), number);
    public string ChannelAnswerLink(string url) => Format(nameof(ChannelAnswerLink), E(url));
    public string ChannelCode(string code) => Format(nameof(ChannelCode), E(code));
    public string ChannelTimeLimit(int seconds) => Format(nameof(ChannelTimeLimit), QuizFormat.Seconds(seconds));
    public string ChannelCount(int answers) => Format(nameof(ChannelCount), N(answers));
    public string ChannelClosed(int answers) => Format(nameof(ChannelClosed), N(answers));
    public string ResultsTitle(int number) => Format(nameof(ResultsTitle), number);
    public string ResultsReopened(int number) => Format(nameof(ResultsReopened), number);
    public string LateNowCounts(int number) => Format(nameof(LateNowCounts), number);
    public string ChannelWithdrawn(int number) => Format(nameof(ChannelWithdrawn), number);
    public string ResultsCorrectAnswer(string answer) => Format(nameof(ResultsCorrectAnswer), TelegramHtml.Quote(answer, 300));
    public string ResultsTotals(int answers, int participants, int people) => Format(nameof(ResultsTotals), N(answers), N(participants), N(people));
    /// <summary>Percent right, whole, rounded once from the counts as the console writes it.</summary>
    public string ResultsPercentCorrect(int correct, int answers) => Format(nameof(ResultsPercentCorrect), QuizFormat.Percent(correct, answers));
    public string ResultsFastest => Text(nameof(ResultsFastest));
    public string ResultsNobody => Text(nameof(ResultsNobody));

    /// <summary>The keys every translation must have (for tests of the resource files).</summary>
    internal IEnumerable<string> Keys => _texts.Keys;
}
