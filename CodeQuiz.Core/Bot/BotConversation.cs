using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Core.Bot;

/// <summary>
/// The bot's side of a private chat, as plain logic: given one update and what the quiz knows now,
/// decide what to record and what to send. Nothing here talks to Telegram or the database, and
/// nothing in the state is changed: the batch writer applies the decision.
/// </summary>
/// <remarks>
/// Buttons carry <c>a:{CODE}:{option index}</c>; once answered they carry <c>d:{CODE}</c>.
/// Free text that is the code of a known question opens that question, even mid-registration.
/// A participant row is only emitted when something in it changes.
/// </remarks>
public sealed partial class BotConversation
{
    public const string AnswerCallbackPrefix = "a:", AnsweredCallbackPrefix = "d:";

    /// <summary>
    /// The kinds of update the bot asks Telegram for (setWebhook and getUpdates): an edited text is asked for only to
    /// tell its author that edits are not read, or they could think they corrected an answer nothing was recorded from.
    /// </summary>
    public static readonly IReadOnlyList<UpdateType> Updates = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery];

    /// <summary>How much of a participant's own text the bot quotes back.</summary>
    const int EchoMax = 200;

    /// <summary>How far behind Telegram's clock ours reads a message's arrival, at least: see <see cref="ArrivalLag"/>.</summary>
    readonly ArrivalLag _arrivalLag = new();

    /// <summary>
    /// The album each chat sent last, and the update of its first item, which alone gets the reply: an album of five photos
    /// is five updates, and five "I read only text" replies took that chat's sending for five seconds.
    /// </summary>
    readonly Dictionary<long, (string Album, long FirstUpdate)> _albums = [];

    /// <summary>Chats whose last album is remembered; past that the memory starts afresh (at worst a second reply to an album).</summary>
    const int AlbumsKept = 10_000;

    /// <summary>One update, decided by the batch writer's single thread: the conversation keeps what arrival times taught it.</summary>
    public BotDecision Decide(Update update, IConversationState state, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(state);
        if (update.Message is { MediaGroupId: { } album, Chat.Type: ChatType.Private } item && !IsFirstOfAlbum(item.Chat.Id, album, update.Id))
            return BotDecision.Ignore;
        if (update.Message?.Date is { } sent && sent > DateTime.UnixEpoch)
            _arrivalLag.Add(receivedAt - Utc(sent), receivedAt);
        var leastLag = _arrivalLag.Least(receivedAt);
        return update switch
        {
            // A pinned-message notice, a changed auto-delete timer…: nothing the participant said, so no reply and no row.
            { Message: { Text: null } service } when IsServiceMessage(service) => BotDecision.Ignore,
            { Message: { Chat.Type: ChatType.Private, From: { IsBot: false } from } message } =>
                new Turn(update.Id, message.Chat.Id, from, state, receivedAt, leastLag).OnMessage(message),
            // Only a changed text: a live location is an edited message every few seconds, and captions are not read anyway.
            { EditedMessage: { Chat.Type: ChatType.Private, From: { IsBot: false } from, Text: not null } edited } =>
                new Turn(update.Id, edited.Chat.Id, from, state, receivedAt, leastLag).OnEdited(),
            { CallbackQuery: { From: { IsBot: false } from } query } when query.Message is null || query.Message.Chat.Type == ChatType.Private =>
                new Turn(update.Id, query.Message?.Chat.Id ?? from.Id, from, state, receivedAt, leastLag).OnCallback(query),
            _ => BotDecision.Ignore,
        };
    }

    /// <summary>Whether this update is the album's first item (decided again after a failed batch, it still is).</summary>
    bool IsFirstOfAlbum(long chatId, string album, long updateId)
    {
        if (_albums.TryGetValue(chatId, out var seen) && seen.Album == album)
            return seen.FirstUpdate == updateId;
        if (_albums.Count >= AlbumsKept)
            _albums.Clear();
        _albums[chatId] = (album, updateId);
        return true;
    }

    /// <summary>Telegram's date, in UTC as it is sent.</summary>
    static DateTimeOffset Utc(DateTime telegramDate) => new(DateTime.SpecifyKind(telegramDate, DateTimeKind.Utc));

    /// <summary>
    /// A kind Telegram.Bot names and no person sends (a pinned-message notice, a changed auto-delete timer). A kind newer
    /// than the library (Unknown) is taken as the participant's: silence would leave them waiting for an answer, while a
    /// service notice of a new kind would only get one needless polite reply. Telegram forwards no service message and
    /// sends none through an inline bot, so a forwarded giveaway or an invoice from an inline bot is the participant's too.
    /// </summary>
    static bool IsServiceMessage(Message message) =>
        message.Type != MessageType.Unknown && !ContentTypes.Contains(message.Type) && message.ForwardOrigin is null && message.ViaBot is null;

    /// <summary>What a person can send besides text.</summary>
    static readonly FrozenSet<MessageType> ContentTypes = new[]
    {
        MessageType.Photo, MessageType.Audio, MessageType.Video, MessageType.Voice, MessageType.Document, MessageType.Sticker,
        MessageType.Location, MessageType.Contact, MessageType.Venue, MessageType.Game, MessageType.VideoNote, MessageType.Poll,
        MessageType.Dice, MessageType.Animation, MessageType.Story, MessageType.PaidMedia, MessageType.Checklist,
        MessageType.LivePhoto, MessageType.RichMessage,
    }.ToFrozenSet();

    /// <summary>
    /// The message a participant gets on scanning <paramref name="question"/>'s code just after it opened, decided by
    /// the conversation itself on a state that holds only this event and question: what the question editor previews.
    /// </summary>
    public static OutboxMessage PreviewPrompt(QuizEvent quizEvent, Question question, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(quizEvent);
        ArgumentNullException.ThrowIfNull(question);
        var open = question.Copy();
        open.Id = int.MaxValue;
        open.EventId = quizEvent.Id;
        open.Event = quizEvent;
        open.Code = Tokens.IsValidQuestionCode(question.Code) ? question.Code : "preview";
        open.State = QuestionState.Open;
        open.OpenedAt = now;
        open.ClosedAt = null;
        var update = new Update
        {
            Id = 1,
            Message = new Message
            {
                Id = 1, Date = now.UtcDateTime, Text = "/start " + open.Code,
                Chat = new Chat { Id = 1, Type = ChatType.Private }, From = new User { Id = 1, FirstName = "Preview" },
            },
        };
        return new BotConversation().Decide(update, new PreviewState(quizEvent, open), now).Messages.Single();
    }

    sealed class PreviewState(QuizEvent quizEvent, Question question) : IConversationState
    {
        public Participant? FindParticipant(long telegramUserId) => null;
        public Question? FindQuestionByCode(string code) => string.Equals(code, question.Code, StringComparison.OrdinalIgnoreCase) ? question : null;
        public Question? FindQuestionOneSlipFrom(string typed) => null;
        public Question? FindQuestion(int questionId) => questionId == question.Id ? question : null;
        public QuizEvent? FindEvent(int eventId) => eventId == quizEvent.Id ? quizEvent : null;
        public Question? FindQuestionAt(int eventId, int position) => question.EventId == eventId && question.Position == position ? question : null;
        public Question? FindOpenQuestion(int eventId) => question.EventId == eventId && question.State == QuestionState.Open ? question : null;
        public QuizEvent? CurrentEvent => quizEvent;
        public bool HasAnswered(int questionId, long participantId) => false;
    }

    /// <summary>One update being decided: the participant as it will be stored, and the messages so far.</summary>
    sealed class Turn
    {
        readonly long _updateId, _chatId;
        readonly IConversationState _state;
        readonly DateTimeOffset _receivedAt;
        readonly TimeSpan? _leastLag;
        readonly List<OutboxMessage> _messages = [];
        Participant _participant;
        bool _participantChanged;
        Answer? _answer;
        /// <summary>No row, or only the left-out mark /forget keeps: whatever they answered was deleted at their request.</summary>
        readonly bool _forgotten;

        public Turn(long updateId, long chatId, User from, IConversationState state, DateTimeOffset receivedAt, TimeSpan? leastLag)
        {
            _updateId = updateId;
            _chatId = chatId;
            _state = state;
            _receivedAt = receivedAt;
            _leastLag = leastLag;

            var existing = state.FindParticipant(from.Id);
            _forgotten = existing is null || existing.FirstName.Length == 0;
            var lastName = CapOrNull(VisibleText.Tidy(from.LastName), 256);
            // A name of Hangul fillers or zero-width spaces would stand blank on the podium, as an empty one would.
            var firstName = Cap(VisibleText.Tidy(from.FirstName), 256) is var f && (VisibleText.Count(f) > 0 || VisibleText.Count(lastName) > 0)
                ? f
                : from.Id.ToString(CultureInfo.InvariantCulture);
            var username = CapOrNull(from.Username, 64);
            var language = CapOrNull(from.LanguageCode, 16);
            if (existing is null)
            {
                _participant = new Participant
                {
                    Id = from.Id, FirstName = firstName, LastName = lastName, Username = username,
                    LanguageCode = language, CreatedAt = receivedAt,
                };
                _participantChanged = true;
            }
            else
            {
                _participant = existing;
                if (existing.FirstName != firstName || existing.LastName != lastName || existing.Username != username || existing.LanguageCode != language)
                {
                    Edit();
                    _participant.FirstName = firstName;
                    _participant.LastName = lastName;
                    _participant.Username = username;
                    _participant.LanguageCode = language;
                }
            }
        }

        // ---- messages ----------------------------------------------------------------------

        public BotDecision OnMessage(Message message)
        {
            // Someone else's words: not an answer, a team name or a code the participant typed.
            if (message.ForwardOrigin is not null)
                return _participant.Registration == RegistrationStep.None
                    ? Reply(General.Forwarded)
                    : Reply(WhileRegistering(General.ForwardedNotTaken + "\n\n" + RegistrationQuestion()));
            if (message.Text is not { } text)
                return _participant.Registration == RegistrationStep.None
                    ? Reply(General.Unsupported + "\n\n" + General.HowToPlay)
                    : Reply(WhileRegistering(General.OnlyText + "\n\n" + RegistrationQuestion()));

            text = VisibleText.Tidy(text);
            var trimmed = text.Trim();
            // A right-to-left keyboard types a direction mark first, and pasted text can bring a zero-width space: neither
            // may hide a command or a number. A team name keeps them (an override there is meant), an answer is as typed.
            var bare = WithoutInvisibleEdges(trimmed);
            // "//" or "/usr/bin" can be answers in a coding quiz: only a command-shaped word is a command. An unknown one
            // ("/skip", a mistyped "/strat") is not an answer either, unless the awaited question's own answers start with '/':
            // the one whose prompt this replies to, when it does, as the text then answers that one.
            if (Command(bare) is var (command, args))
            {
                if (KnownCommands.Contains(command)
                    || ((_participant.Registration == RegistrationStep.None ? RepliedToPromptOf(message) : null) ?? AwaitedQuestion()) is not { } awaited)
                    return OnCommand(command, args);
                if (!TakesSlashAnswers(awaited))
                    return Reply(TextsFor(awaited).UnknownCommand(CommandWord(bare), awaited.Position));
            }
            if (CodeOf(trimmed) is (Question named, var wordsAfter))
                return OnCode(named, wordsAfter);
            // The QR code's link pasted into the chat rather than opened: it was taken as the current question's answer.
            // Among other words only a link to one of the event's questions is: "use t.me/MyBot?start=hello" is an answer.
            if (StartLinkIn(bare) is var (parameter, alone) && (alone || CodeOf(parameter) is (Question, _)))
                return OnStartLink(parameter, alone);

            return _participant.Registration switch
            {
                RegistrationStep.AwaitingTeamName or RegistrationStep.AwaitingHeadCount when LeaveWord(bare) is { } word => LeaveRegistration(word),
                RegistrationStep.AwaitingTeamName => OnTeamName(trimmed, typedAlone: true),
                RegistrationStep.AwaitingHeadCount => OnHeadCount(bare),
                _ => OnAnswerText(text, message),
            };
        }

        /// <summary>
        /// The start parameter of a deep link typed or pasted as text ("https://t.me/CodeQuizBot?start=Q7kP2x", "t.me/…",
        /// "tg://resolve?domain=…&amp;start=…", or only "/start=Q7kP2x" or "?start=Q7kP2x"), and whether the link was all the
        /// text; null for text with no link. A phone adds a full stop after a pasted link, a chat app wraps it in &lt;&gt;,
        /// and people write around it ("I scanned https://t.me/…"): each was taken as the current question's answer.
        /// </summary>
        static (string Parameter, bool Alone)? StartLinkIn(string text)
        {
            if (!text.Contains("start=", StringComparison.OrdinalIgnoreCase))
                return null;
            if (DeepLink().Match(AroundLink(text)) is { Success: true } whole)
                return (whole.Groups["parameter"].Value, true);
            if (LinkInText().Match(text) is not { Success: true } link)
                return null;
            var rest = string.Concat(text.AsSpan(0, link.Index), " ", text.AsSpan(link.Index + link.Length));
            return (link.Groups["parameter"].Value, AroundLink(rest).Length == 0);
        }

        /// <summary>The text without what may surround a pasted link: spaces, brackets and quotes, and sentence punctuation after it.</summary>
        static string AroundLink(string text)
        {
            int start = 0, end = text.Length;
            while (start < end && (IsInvisibleEdge(text[start]) || text[start] is '<' or '(' or '[' or '{' or '"' or '\'' or '«' or '“' or '‘'))
                start++;
            while (end > start && (IsInvisibleEdge(text[end - 1]) || AnswerMatcher.IsEdgePunctuation(text[end - 1]) || text[end - 1] is '>' or ')' or ']' or '}'))
                end--;
            return text[start..end];
        }

        /// <summary>A link with a start parameter, alone or with words around it.</summary>
        BotDecision OnStartLink(string parameter, bool alone) =>
            alone || CodeOf(parameter) is not (Question question, _) ? OnCommand("start", parameter) : OnCode(question, wordsAfterCode: true);

        /// <summary>The text without whitespace or format characters (direction marks, zero-width spaces) at either end.</summary>
        static string WithoutInvisibleEdges(string text)
        {
            int start = 0, end = text.Length;
            while (start < end && IsInvisibleEdge(text[start]))
                start++;
            while (end > start && IsInvisibleEdge(text[end - 1]))
                end--;
            return start == 0 && end == text.Length ? text : text[start..end];
        }

        static bool IsInvisibleEdge(char c) => char.IsWhiteSpace(c) || IsFormat(c);

        static bool IsFormat(char c) => char.GetUnicodeCategory(c) == UnicodeCategory.Format;

        /// <summary>The message was decided as first sent: its edit changes nothing, which the participant must know.</summary>
        public BotDecision OnEdited()
        {
            if (_participant.Registration != RegistrationStep.None)
                return Reply(WhileRegistering(General.EditedNotRead + "\n\n" + RegistrationQuestion()));
            Reply(General.Edited);
            // A message from before /forget, edited, does not store again the name they asked to delete; writing to the bot does.
            return _forgotten ? new BotDecision { Messages = _messages } : Decision();
        }

        /// <summary>
        /// The question whose code the text is, or else whose code is its first word: "Q7kP2xAbCd please", or the answer
        /// typed after the code; or else its last: "start Q7kP2xAbCd" without the slash, "codice Q7kP2xAbCd". Those words are
        /// not an answer (the participant has not seen the prompt yet); WordsAfter says the reply must tell them so. Codes
        /// are random, so no answer starts or ends with one by chance.
        /// </summary>
        (Question Question, bool WordsAfter)? CodeOf(string text) =>
            NamedQuestion(text) is { } question ? (question, false)
            : WordEnd(text) is var end and > 0 && NamedQuestion(text[..end]) is { } first ? (first, true)
            : LastWord(text) is { } word && NamedQuestion(word) is { } last ? (last, true)
            : AfterLabel(text) is { } after && NamedQuestion(after) is { } labelled ? (labelled, true)
            : null;

        /// <summary>
        /// "codice:Q7kP2xAbCd" or "code=Q7kP2xAbCd", with no space after the label: what follows a word of letters and its mark.
        /// Not another site's link ("…?start=…"), which is an answer like any other.
        /// </summary>
        static string? AfterLabel(string text)
        {
            var word = LastWord(text) ?? text;
            var mark = word.AsSpan().IndexOfAny(':', '=', '：');
            return mark > 0 && mark < word.Length - 1 && word[..mark].All(char.IsLetter) ? word[(mark + 1)..] : null;
        }

        /// <summary>The last of several words, after whitespace or an invisible format character; null for one word.</summary>
        static string? LastWord(string text)
        {
            var end = text.Length;
            while (end > 0 && IsInvisibleEdge(text[end - 1]))
                end--;
            var start = end;
            while (start > 0 && !IsInvisibleEdge(text[start - 1]))
                start--;
            return start > 0 ? text[start..end] : null;
        }

        /// <summary>The question whose code the text is: as typed, with the spaces taken out, or with one slip of the finger.</summary>
        Question? NamedQuestion(string text)
        {
            var code = CodeIn(FoldFullWidth(text));
            // "_Q7kP2x_": Markdown's italics a client did not turn into formatting. A code may hold '_', so as typed first.
            return CodeAsTyped(code) ?? (code is ['_', _, .., '_'] ? CodeAsTyped(code[1..^1]) : null);
        }

        Question? CodeAsTyped(string code)
        {
            if (!Tokens.IsValidQuestionCode(code))
            {
                // "Q7kP2 xAbCd": a space slips in while ten characters are copied off the projector, and no code holds one.
                if (WithoutSpaces(code) is not { } joined)
                    return null;
                code = joined;
            }
            // "Q7kP2xAbCe": so does a wrong letter. Without this the text was taken as the current question's answer, and its
            // one chance spent.
            return _state.FindQuestionByCode(code) ?? _state.FindQuestionOneSlipFrom(code);
        }

        /// <summary>
        /// Full-width letters, digits and signs (U+FF01–U+FF5E) as their ASCII twins: a phone's IME in full-width mode types a
        /// code as "Ｑ７ｋＰ２ｘ", which was taken as the current question's answer. Only for finding a code: an answer is
        /// stored as typed (the matcher folds it the same way).
        /// </summary>
        static string FoldFullWidth(string text)
        {
            if (text.AsSpan().IndexOfAnyInRange('\uFF01', '\uFF5E') < 0)
                return text;
            return string.Create(text.Length, text, static (folded, text) =>
            {
                for (var i = 0; i < text.Length; i++)
                    folded[i] = text[i] is >= '\uFF01' and <= '\uFF5E' ? (char)(text[i] - 0xFEE0) : text[i];
            });
        }

        /// <summary>
        /// A code's characters with whitespace or invisible format characters among them (a web page's zero-width space or
        /// soft hyphen where it may break a line), without those; null for anything else.
        /// </summary>
        static string? WithoutSpaces(string text)
        {
            const int most = 32; // a 16-character code with a space after each character
            if (text.Length > most)
                return null;
            Span<char> code = stackalloc char[most];
            var length = 0;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
                    continue;
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
                    return null;
                code[length++] = c;
            }
            if (length == text.Length)
                return null;
            var joined = code[..length].ToString();
            return Tokens.IsValidQuestionCode(joined) ? joined : null;
        }

        /// <summary>
        /// A code as a phone may send it: "Q7kP2x." (a double space types a full stop), in quotes or brackets, in Markdown's
        /// marks a client did not turn into formatting ("`Q7kP2x`", "**Q7kP2x**"), as a hashtag, or after an invisible
        /// direction mark. No code holds any of those, and without this the text was taken as the current question's answer.
        /// </summary>
        static string CodeIn(string text)
        {
            int start = 0, end = text.Length;
            while (start < end && AroundCode(text[start]))
                start++;
            while (end > start && AroundCode(text[end - 1]))
                end--;
            return text[start..end];
        }

        static bool AroundCode(char c) =>
            char.IsWhiteSpace(c) || AnswerMatcher.IsEdgePunctuation(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format
            || c is '(' or ')' or '[' or ']' or '{' or '}' or '<' or '>' or '`' or '*' or '~' or '#' or '@';

        static readonly HashSet<string> KnownCommands = ["start", "team", "help", "forget"];

        /// <summary>
        /// "/start@CodeQuizBot Q7kP2x" → ("start", "Q7kP2x"): a '/', a letter, letters, digits or '_', maybe "@bot";
        /// null when the text is not command-shaped. Sentence punctuation after the word is not part of it: "/help?" or
        /// "/team." (a phone's double space types a full stop) was taken as the current question's answer. So is a
        /// full-width "／ｈｅｌｐ", as a phone's IME in full-width mode types it: the command word is read folded, and the
        /// arguments are passed on as typed (a team name is stored as typed; a code is folded where it is looked up).
        /// "∕help" after a division or fraction slash is a command too, but only for a word in <see cref="KnownCommands"/>.
        /// </summary>
        static (string Command, string Args)? Command(string text)
        {
            var folded = FoldFullWidth(text); // one character for one, so positions in it are positions in text
            if (folded.Length < 2 || folded[0] is not ('/' or DivisionSlash or FractionSlash) || !char.IsAsciiLetter(folded[1]))
                return null;
            var word = CommandWord(folded).AsSpan(1);
            while (AnswerMatcher.IsEdgePunctuation(word[^1]))
                word = word[..^1]; // never empty: it starts with a letter
            foreach (var c in word)
                if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                    return null;
            var command = word.ToString().ToLowerInvariant();
            // "⁄x" can be an answer, so a look-alike slash makes a command only of the bot's own words.
            if (folded[0] != '/' && !KnownCommands.Contains(command))
                return null;
            var space = WordEnd(text);
            return (command, space < 0 ? "" : WordsAfter(text, space));
        }

        /// <summary>Slashes a maths or symbol keyboard types, which Telegram does not take as a command's.</summary>
        const char DivisionSlash = '\u2215', FractionSlash = '\u2044';

        /// <summary>"/start@CodeQuizBot Q7kP2x" → "/start": "@CodeQuizBot" in a private chat is still us.</summary>
        static string CommandWord(string text)
        {
            var space = WordEnd(text);
            var word = space < 0 ? text : text[..space];
            return word.IndexOfAny('@', '＠') is var at and >= 0 ? word[..at] : word;
        }

        /// <summary>
        /// Where the first word ends: at whitespace, or at an invisible format character. Text copied from a web page or
        /// a chat brings a zero-width space, a word joiner or a byte order mark where the space was ("/start\u200BQ7kP2x"),
        /// and that text was taken as the current question's answer. Format characters before the word belong to it (the
        /// direction mark a right-to-left keyboard types first).
        /// </summary>
        static int WordEnd(string text)
        {
            var start = 0;
            while (start < text.Length && char.GetUnicodeCategory(text[start]) == UnicodeCategory.Format)
                start++;
            for (var i = start; i < text.Length; i++)
                if (char.IsWhiteSpace(text[i]) || char.GetUnicodeCategory(text[i]) == UnicodeCategory.Format)
                    return i;
            return -1;
        }

        /// <summary>
        /// The words after the first, which ends at <paramref name="end"/>: without the whitespace and zero-width characters
        /// between, but with a direction mark or override, which a team name may begin with on purpose.
        /// </summary>
        static string WordsAfter(string text, int end)
        {
            var start = end;
            while (start < text.Length && (char.IsWhiteSpace(text[start]) || IsZeroWidth(text[start])))
                start++;
            return text[start..].Trim();
        }

        static bool IsZeroWidth(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E';

        /// <summary>The question the participant's next text would answer, if any.</summary>
        Question? AwaitedQuestion() => _participant.Registration == RegistrationStep.None ? UnansweredQuestion() : null;

        /// <summary>The question the participant scanned last and has not answered, registering a team or not.</summary>
        Question? UnansweredQuestion() =>
            _participant.CurrentQuestionId is { } id && _state.FindQuestion(id) is { State: not QuestionState.Draft } question
            && !_state.HasAnswered(question.Id, _participant.Id)
                ? question
                : null;

        /// <summary>
        /// A reply at the name or head-count step, with a note when a scanned question waits: "42" or "gio" sent there may
        /// be meant as its answer, and the participant must learn it was not taken as one and how to answer.
        /// </summary>
        string WhileRegistering(string reply) =>
            UnansweredQuestion() is { } waiting
                ? reply + "\n\n" + TextsFor(waiting).RegisteringNotAnswer(waiting.Position, waiting.Code)
                : reply;

        /// <summary>A quiz on shell commands may expect "/etc": then a command-shaped text is an answer like any other.</summary>
        static bool TakesSlashAnswers(Question question) =>
            (question.Kind == QuestionKind.MultipleChoice ? question.Options : question.AcceptedAnswers)
                .Any(answer => answer is not null && answer.TrimStart().StartsWith('/'));

        BotDecision OnCommand(string command, string args)
        {
            switch (command)
            {
                case "start" when args.Length == 0:
                    SetRegistration(RegistrationStep.None);
                    var current = _state.CurrentEvent;
                    var texts = BotTexts.For(current?.Language);
                    return Reply(texts.Welcome(current?.Name) + "\n\n" + texts.HowToPlay);
                case "start" when IsRegister(args, out var words):
                    return TeamNameIn(words) is { } teamName ? OnTeamName(teamName) : StartTeam();
                case "team":
                    return TeamNameIn(args) is { } name ? OnTeamName(name) : StartTeam();
                case "start":
                    SetRegistration(RegistrationStep.None);
                    return CodeOf(args) is (Question question, var wordsAfter) ? OnCode(question, wordsAfter)
                        // "/start https://t.me/CodeQuizBot?start=Q7kP2x": the link pasted after the command.
                        : StartLinkIn(args) is var (parameter, alone) ? OnStartLink(parameter, alone)
                        : Reply(General.UnknownCode(args));
                case "forget":
                    // Nothing else: a participant row in the same decision would bring them back.
                    return new BotDecision
                    {
                        ForgetParticipantId = _participant.Id,
                        Messages = [Message(_participant.LeftOutAt is null ? General.Forgotten : General.ForgottenLeftOut)],
                    };
                case "cancel" or "annulla" or "stop" or "esci" when _participant.Registration != RegistrationStep.None:
                    return LeaveRegistration(word: null);
                default:
                    SetRegistration(RegistrationStep.None);
                    return Reply(General.HowToPlay);
            }
        }

        /// <summary>
        /// "register" as the first word, and the words after it as the team name: "/start register Classe 3B" is typed
        /// as "/team Classe 3B" is (a deep link cannot carry a space, so it never brings a name). The head-count question
        /// that follows names the team, so a stray word shows and /team changes it.
        /// </summary>
        static bool IsRegister(string args, out string words)
        {
            var end = WordEnd(args);
            words = end < 0 ? "" : WordsAfter(args, end);
            // CodeIn sets aside a full stop, quotes or an invisible mark around the word, as around a code.
            return CodeIn(FoldFullWidth(end < 0 ? args : args[..end])).Equals("register", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The team name in the words after "/team" or "/start register", or none: nothing, or only a courtesy. Someone
        /// who types "/start register please" asks to register and has not named the team yet; it was registered as
        /// "please". Anything else is the name as typed, a courtesy in it too ("Please Stand Up" may be the name): the
        /// head-count question that follows shows it, and /team changes it.
        /// </summary>
        static string? TeamNameIn(string words)
        {
            var tokens = words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return tokens.Length == 0 || Courtesies.Any(courtesy => IsCourtesy(tokens, courtesy)) ? null : words;
        }

        static readonly string[][] Courtesies =
        [
            ["please"], ["pls"], ["plz"], ["thanks"], ["thank", "you"], ["thx"],
            ["per", "favore"], ["perfavore"], ["per", "piacere"], ["grazie"],
        ];

        // CodeIn sets aside a full stop, an exclamation mark or quotes around a word, as around a code.
        static bool IsCourtesy(string[] tokens, string[] courtesy) =>
            tokens.Length == courtesy.Length &&
            tokens.Zip(courtesy).All(pair => CodeIn(FoldFullWidth(pair.First)).Equals(pair.Second, StringComparison.OrdinalIgnoreCase));

        /// <param name="wordsAfterCode">Words followed the code; the reply begins by saying they were not taken as an answer.</param>
        BotDecision OnCode(Question question, bool wordsAfterCode = false)
        {
            SetRegistration(RegistrationStep.None);
            var texts = TextsFor(question);
            var note = wordsAfterCode ? texts.WordsAfterCode : null;
            string WithNote(string text) => note is null ? text : note + "\n\n" + text;
            if (_state.HasAnswered(question.Id, _participant.Id))
                return Reply(WithNote(texts.AlreadyAnswered(question.Position)));

            switch (question.State)
            {
                case QuestionState.Draft:
                    // Scanned early: once it opens, what they type answers it, not the question they scanned before.
                    SetCurrentQuestion(question.Id);
                    // The wrong card of the printed sheet, scanned while the livestream shows another: waiting for this one
                    // would miss that one.
                    return Reply(WithNote(_state.FindOpenQuestion(question.EventId) is { } open
                        ? texts.NotOpenYetScannedAnotherIs(question.Position, open.Position, open.Code)
                        : texts.NotOpenYet(question.Position)));
                case QuestionState.Closed:
                    SetCurrentQuestion(question.Id);
                    return Reply(PromptText(question, texts, intro: WithNote(texts.Closed(question.Position))), Keyboard(question));
                case QuestionState.Open when question.Deadline < _receivedAt:
                    // Time is up and the close is a moment away (answers sent in time may still be on their way).
                    SetCurrentQuestion(question.Id);
                    return Reply(PromptText(question, texts, intro: WithNote(texts.TimeUp(question.Position))), Keyboard(question));
                default:
                    SetCurrentQuestion(question.Id);
                    // Ahead of the acknowledgements still waiting: without it a participant cannot answer.
                    var prompt = Message(PromptText(question, texts, intro: note), Keyboard(question), OutboxMessage.PromptPriority);
                    if (HasTimeLeft(question))
                        prompt.TimedQuestionId = question.Id; // its last line is written again when it is sent (TimeLeftLine)
                    _messages.Add(prompt);
                    return Decision();
            }
        }

        BotDecision OnAnswerText(string text, Message message)
        {
            // A reply to another question's prompt answers that one, as its buttons would; the question waiting still waits.
            if (RepliedToPromptOf(message) is { } replied && replied.Id != _participant.CurrentQuestionId)
                return OnAnswerText(text, message, replied);
            if (_participant.CurrentQuestionId is not { } questionId || _state.FindQuestion(questionId) is not { } question)
            {
                SetCurrentQuestion(null);
                return Reply(General.NoQuestion + "\n\n" + General.HowToPlay);
            }
            return OnAnswerText(text, message, question);
        }

        /// <summary>
        /// The question whose prompt this message replies to (a swipe on it, or Reply). A participant who scanned the next
        /// question's code and then answered the one before by replying to its prompt had that answer taken for the next
        /// one: wrong, and their one chance at it spent. The prompt's title line, "Question 2", names it. A question has
        /// a prompt only once opened, so one sent before its opening is another's: last week's semifinal has a "Question 2"
        /// too, and a rehearsal's prompts stay in the chat after Start over. Such a reply answers the question scanned.
        /// </summary>
        Question? RepliedToPromptOf(Message message)
        {
            if (message.ReplyToMessage is not { From.IsBot: true, Text: { } prompt } replied || PromptNumber(prompt) is not { } number)
                return null;
            var eventId = (_participant.CurrentQuestionId is { } id ? _state.FindQuestion(id)?.EventId : null) ?? _state.CurrentEvent?.Id;
            return eventId is { } e && _state.FindQuestionAt(e, number) is { OpenedAt: not null } question
                && !SentBeforeOpening(question, replied.Date)
                ? question
                : null;
        }

        BotDecision OnAnswerText(string text, Message message, Question question)
        {
            var texts = TextsFor(question);
            if (_state.HasAnswered(question.Id, _participant.Id))
                return Reply(WithOpenQuestion(texts.AlreadyAnswered(question.Position), question, texts));
            // Scanned early, or in yesterday's rehearsal before Start over, while the answer is meant for the question the
            // livestream shows now: say which one is open and how to answer it, not only to wait for this one.
            if (question.State == QuestionState.Draft)
                return Reply(_state.FindOpenQuestion(question.EventId) is { } open
                    ? texts.NotOpenYetAnotherIs(question.Position, open.Position, open.Code)
                    : texts.NotOpenYet(question.Position));

            // A zero-width space or a Hangul filler is how a blank message gets past Telegram: no answer, and no chance spent.
            if (VisibleText.Count(text) == 0)
                return Reply(texts.BlankAnswer(question.Position));
            // Telegram sends at most 4,096 characters; more can only come from a caller holding the webhook secret.
            text = TelegramHtml.Truncate(text, TelegramHtml.MessageMax);
            var match = AnswerMatcher.Match(question, text);
            // A wrong "@CodeQuizBot 42" or "42 🎉" is read as "42" below, as the matcher reads it; the answer is stored as typed.
            var read = match.IsCorrect ? text : AnswerMatcher.AsRead(text);
            // A 👍 or 🙏 sent on seeing the prompt is a reaction, and took the one chance; an emoji the question expects is
            // not, nor a symbol that reads as an accepted answer ("™" for TM, "℃" for °C).
            if (question.Kind == QuestionKind.FreeText && !match.IsCorrect && VisibleText.IsOnlyEmoji(read) && !question.AcceptedAnswers.Any(VisibleText.IsOnlyEmoji))
                return Reply(texts.EmojiAnswer(question.Position));
            // So is a "ciao!" or a "thanks": a hello, not an answer, unless the question asks for it, or for words of it: a
            // "Hello" to "Hello, World!", an "OK" to "200 OK" is a wrong answer, not a second chance.
            if (question.Kind == QuestionKind.FreeText && !match.IsCorrect && Greeting.Is(read)
                && !question.AcceptedAnswers.Any(accepted => Greeting.SharesAWord(read, accepted)))
                return Reply(texts.GreetingAnswer(question.Position));
            // An answer that names no option, or no number, is a slip: say how to answer and keep the one chance.
            if (question.Kind == QuestionKind.MultipleChoice && match.OptionIndex is null)
                return Reply(match.Ambiguity is var (byLetter, byText)
                    ? texts.WhichOption(question.OptionLabelled(byLetter), question.OptionLabelled(byText))
                    : texts.ChooseAnOption(Letters(question)));
            if (question.Kind == QuestionKind.Numeric && !match.IsCorrect && !AnswerMatcher.TryParseNumber(read, out _, out _))
                return Reply(texts.SendANumber);

            if (question.State == QuestionState.Open && SentBeforeOpening(question, message.Date))
                return Reply(texts.SentBeforeOpening(question.Position, timeUp: question.Deadline is { } deadline && _receivedAt > deadline));

            var answeredAt = AnsweredAt(question, message.Date);
            var late = IsLate(question, answeredAt);
            _answer = new Answer
            {
                QuestionId = question.Id, ParticipantId = _participant.Id, UpdateId = _updateId, Text = text,
                OptionIndex = match.OptionIndex, IsCorrect = match.IsCorrect, IsLate = late, AnsweredAt = answeredAt,
                People = _participant.People,
            };
            if (!late)
                return Reply(texts.Recorded(question.Position, text));
            // Late while still open: its time ran out and the close waits for answers sent in time, so it is not "closed" yet.
            var timeUp = question.State == QuestionState.Open;
            return Reply(WithOpenQuestion(
                match.IsCorrect ? texts.LateRight(question.Position, timeUp) : texts.LateWrong(question.Position, question.CorrectAnswerLabelledIn(texts.Culture), timeUp),
                question, texts));
        }

        /// <summary>
        /// The reply, and how to answer the question the livestream shows now when it is another: text typed after the
        /// scanned question closed is most likely meant for the next one, and was only told it was late or already answered.
        /// </summary>
        string WithOpenQuestion(string reply, Question question, BotTexts texts) =>
            OpenQuestionNow(question) is { } open && open.Id != question.Id && !_state.HasAnswered(open.Id, _participant.Id)
                ? reply + "\n\n" + texts.OpenNow(open.Position, open.Code)
                : reply;

        /// <summary>
        /// The open question of the scanned one's event, else of the event running now: the question scanned last may be of
        /// last week's semifinal, and its event then has none open while the final's first question is on the livestream.
        /// </summary>
        Question? OpenQuestionNow(Question question) =>
            _state.FindOpenQuestion(question.EventId)
            ?? (_state.CurrentEvent is { } current && current.Id != question.EventId ? _state.FindOpenQuestion(current.Id) : null);

        // ---- team registration -------------------------------------------------------------

        BotDecision StartTeam()
        {
            SetRegistration(RegistrationStep.AwaitingTeamName);
            var text = General.TeamAskName(Participant.TeamNameMin, Participant.TeamNameMax);
            if (_participant.TeamName is { } team)
                text = General.TeamCurrent(team, _participant.HeadCount) + "\n" + text;
            return Reply(text);
        }

        /// <summary>Words that leave the registration when sent alone at the name or head-count step, in any case.</summary>
        static readonly FrozenSet<string> LeaveWords =
            new[] { "cancel", "annulla", "stop", "esci", "no" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The text, without punctuation or spaces around it, when it is only a word to leave the registration by, or that
        /// word and a courtesy: "no grazie", "no, thanks" or "annulla per favore" became the team's name.
        /// </summary>
        static string? LeaveWord(string text)
        {
            if (text.Length > 32)
                return null;
            // CodeIn sets aside a full stop, an exclamation mark or quotes around the word, as around a code.
            var words = CodeIn(FoldFullWidth(text));
            if (LeaveWords.Contains(words))
                return words;
            var tokens = words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return tokens.Length > 1 && LeaveWords.Contains(CodeIn(tokens[0]))
                && Courtesies.Any(courtesy => IsCourtesy(tokens[1..], courtesy))
                ? words
                : null;
        }

        /// <summary>
        /// "annulla", "stop" or /cancel at the name or head-count step. Someone who sent /team by mistake had no way out but
        /// a command they did not know of: their word was taken as the team's name, or refused as a number. A team they
        /// registered before stays, and the reply shows it. A team really called "Stop" is registered with the name after
        /// the command, and the reply says how when the word could be a name.
        /// </summary>
        BotDecision LeaveRegistration(string? word)
        {
            var atName = _participant.Registration == RegistrationStep.AwaitingTeamName;
            // With no head count ever given, no team was registered before: the name a student typed by mistake ("Giulia",
            // their own) would keep them in a team of that name, also after /team sent again to start over.
            if (_participant.HeadCount is null && _participant.TeamName is not null)
            {
                Edit();
                _participant.TeamName = null;
            }
            SetRegistration(RegistrationStep.None);
            var text = General.TeamLeft + "\n" + (_participant.TeamName is { } team
                ? General.TeamCurrent(team, _participant.HeadCount)
                : General.TeamLeftNone);
            if (atName && word is not null && new StringInfo(word).LengthInTextElements >= Participant.TeamNameMin)
                text += "\n" + General.TeamLeftNamedSo(word);
            // Scanned before /team: the next text answers that question now, which they must know.
            return Reply(UnansweredQuestion() is { } waiting
                ? text + "\n\n" + TextsFor(waiting).AnswerStillWaits(waiting.Position)
                : text);
        }

        /// <summary>
        /// The question of the registration step again: "send your answer as text" or how to play would leave someone who
        /// sent a photo of the class sign, or forwarded the name, not knowing a name or a number is awaited.
        /// </summary>
        string RegistrationQuestion() =>
            _participant.Registration == RegistrationStep.AwaitingHeadCount
                ? General.TeamAskHeadCount(_participant.TeamName ?? "", Participant.HeadCountMin, Participant.HeadCountMax)
                : General.TeamAskName(Participant.TeamNameMin, Participant.TeamNameMax);

        /// <param name="typedAlone">Sent at the name step, not after /team: it may have been meant as an answer.</param>
        BotDecision OnTeamName(string text, bool typedAlone = false)
        {
            string Say(string reply) => typedAlone ? WhileRegistering(reply) : reply;
            // Closed again: after /team the name comes without the invisible characters at its ends, a closing one included.
            var name = TelegramHtml.CloseDirections(CollapseWhitespace(text));
            // Counted as a screen shows them, both ways: an emoji is two UTF-16 units (a flag four), so "🐍🐍" is two
            // characters and short, not half invisible, and forty snakes are forty characters, not eighty.
            var characters = new StringInfo(name).LengthInTextElements;
            if (characters is < Participant.TeamNameMin or > Participant.TeamNameMax)
            {
                SetRegistration(RegistrationStep.AwaitingTeamName);
                return Reply(Say(General.TeamNameInvalid(characters, Participant.TeamNameMin, Participant.TeamNameMax)));
            }
            if (VisibleText.Count(name) is var visible && visible < Participant.TeamNameMin)
            {
                SetRegistration(RegistrationStep.AwaitingTeamName);
                return Reply(Say(General.TeamNameInvisible(visible, Participant.TeamNameMin)));
            }
            // The column holds 64 emoji with a skin tone each; only stacked accents or emoji joined from several need more.
            if (name.Length > Participant.TeamNameStoredMax)
            {
                SetRegistration(RegistrationStep.AwaitingTeamName);
                return Reply(Say(General.TeamNameTooManyPieces));
            }
            if (_participant.TeamName != name)
            {
                Edit();
                _participant.TeamName = name;
            }
            SetRegistration(RegistrationStep.AwaitingHeadCount);
            return Reply(Say(General.TeamAskHeadCount(name, Participant.HeadCountMin, Participant.HeadCountMax)));
        }

        BotDecision OnHeadCount(string text)
        {
            if (!TryParseHeadCount(WithoutTeamName(text), out var count))
                return Reply(WhileRegistering(General.TeamHeadCountInvalid(Participant.HeadCountMin, Participant.HeadCountMax)));
            if (_participant.HeadCount != count)
            {
                Edit();
                _participant.HeadCount = count;
            }
            SetRegistration(RegistrationStep.None);
            var registered = General.TeamRegistered(_participant.TeamName ?? "", count);
            // "42" may have been meant for the question they scanned: say what it was taken as, and that the question still waits.
            return Reply(AwaitedQuestion() is { } awaited
                ? registered + "\n\n" + TextsFor(awaited).HeadCountNotAnswer(count, awaited.Position)
                : registered);
        }

        /// <summary>
        /// The text without the team's name, when that name has a number among its words ("Squadra 7", "Gli 11 leoni",
        /// "Classe 3B"): the name sent again at the head-count step (twice, as a slow reply invites) registered its number as
        /// the head count, and "Classe 3B: siamo 12" was refused for the "3B". A name of digits only ("100") is left in: it
        /// may be the count itself.
        /// </summary>
        string WithoutTeamName(string text)
        {
            if (_participant.TeamName is not { } team || !team.Any(char.IsDigit) || !team.Any(char.IsLetter))
                return text;
            var collapsed = CollapseWhitespace(text);
            var at = collapsed.IndexOf(team, StringComparison.OrdinalIgnoreCase);
            var end = at + team.Length;
            // "Team 12" holds "Team 1": only the name as whole words is set aside.
            if (at < 0 || (at > 0 && char.IsLetterOrDigit(collapsed[at - 1])) || (end < collapsed.Length && char.IsLetterOrDigit(collapsed[end])))
                return text;
            return string.Concat(collapsed.AsSpan(0, at), " ", collapsed.AsSpan(end));
        }

        /// <summary>
        /// The one whole number in the text, in range, in the digits of any script: a class in Cairo types ١٢, a Japanese
        /// keyboard ５. Words around it are fine ("12 persone", "siamo in 12", "we are 12!"): only bare digits were taken, and
        /// the question asked again. Two numbers ("12 o 13", "between 10 and 12") say no one count, and a sign, a decimal
        /// mark or letters against the digits ("-3", "1.5", "3,5", "3B", "1e3") make no whole number of people. Nor does
        /// a plus anywhere, as a sign or a word: "12 + la prof", "12 più la prof" or "12 plus our teacher" are more than 12,
        /// and "12+" says at least 12.
        /// </summary>
        static bool TryParseHeadCount(ReadOnlySpan<char> text, out int count)
        {
            count = 0;
            // Zero-width spaces and joiners, direction marks: invisible, brought along by phone keyboards and copy-paste, so
            // "1\u200B2" is 12 as the participant sees it, not two numbers.
            if (!Ascii.IsValid(text) && text.ToString() is var typed && typed.Any(IsFormat))
                return TryParseHeadCount(string.Concat(typed.Where(c => !IsFormat(c))), out count);
            if (text.IndexOfAny('+', '\uFF0B') >= 0 || HasPlusWord(text))
                return false;
            var found = false;
            for (var i = 0; i < text.Length;)
            {
                if (!char.IsDigit(text[i]))
                {
                    if (char.IsNumber(text[i])) // a number not written in decimal digits: "²", "½" or "Ⅻ"
                        return false;
                    i++;
                    continue;
                }
                if (found)
                    return false;
                var start = i;
                var value = 0;
                for (; i < text.Length && char.IsDigit(text[i]); i++)
                    value = Math.Min(value * 10 + (int)char.GetNumericValue(text[i]), Participant.HeadCountMax + 1);
                if (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] is '-' or '+' or '\u2212' or '.' or ','))
                    return false;
                if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '+'))
                    return false;
                found = true;
                count = value;
            }
            return found && count is >= Participant.HeadCountMin and <= Participant.HeadCountMax;
        }

        /// <summary>
        /// "più", "piu" ("piu'" where the keyboard has no ù) or "plus" as a word of its own, whatever is around it: a comma
        /// or slash with no space ("12,più la prof"), a no-break space, or the accent typed as a mark of its own (pasted
        /// from a Mac).
        /// </summary>
        static bool HasPlusWord(ReadOnlySpan<char> text)
        {
            for (var i = 0; i < text.Length;)
            {
                if (!IsWordChar(text[i]))
                {
                    i++;
                    continue;
                }
                var start = i;
                while (i < text.Length && IsWordChar(text[i]))
                    i++;
                if (text[start..i].ToString().Normalize(NormalizationForm.FormC) is var w
                    && (w.Equals("più", StringComparison.OrdinalIgnoreCase) || w.Equals("piu", StringComparison.OrdinalIgnoreCase) || w.Equals("plus", StringComparison.OrdinalIgnoreCase)))
                    return true;
            }
            return false;

            static bool IsWordChar(char c) => char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;
        }

        // ---- buttons -----------------------------------------------------------------------

        public BotDecision OnCallback(CallbackQuery query)
        {
            var decision = OnButton(query);
            // A tap on an old message that records nothing (a deleted question's button, a draft's) does not store again
            // the name they asked to delete; an answer or writing to the bot does.
            return _forgotten && decision.Answer is null ? new BotDecision { Messages = decision.Messages } : decision;
        }

        BotDecision OnButton(CallbackQuery query)
        {
            var data = query.Data ?? "";
            if (data.StartsWith(AnsweredCallbackPrefix, StringComparison.Ordinal))
                return OnAnsweredButton(query, data[AnsweredCallbackPrefix.Length..]);
            if (!TryParseAnswerData(data, out var code, out var index)
                || _state.FindQuestionByCode(code) is not { Kind: QuestionKind.MultipleChoice } question
                || index >= question.Options.Count)
                return Toast(query, General.ToastStale);

            var texts = TextsFor(question);
            if (_state.HasAnswered(question.Id, _participant.Id))
                return Toast(query, texts.ToastAlreadyAnswered);
            if (question.State == QuestionState.Draft)
                return Toast(query, texts.ToastNotOpen);

            var match = AnswerMatcher.MatchOption(question, index);
            var answeredAt = AnsweredAt(question, null);
            var late = IsLate(question, answeredAt);
            _answer = new Answer
            {
                QuestionId = question.Id, ParticipantId = _participant.Id, UpdateId = _updateId, Text = question.Options[index],
                OptionIndex = index, IsCorrect = match.IsCorrect, IsLate = late, AnsweredAt = answeredAt,
                People = _participant.People,
            };
            var toast = !late ? texts.ToastRecorded(QuestionRules.OptionLabel(index))
                : match.IsCorrect ? texts.ToastLateRight(timeUp: question.State == QuestionState.Open)
                : texts.ToastLateWrong(question.CorrectAnswerLabelledIn(texts.Culture), timeUp: question.State == QuestionState.Open);
            Toast(query, toast);
            if (query.Message is { } shown)
            {
                _messages.Add(new OutboxMessage
                {
                    Method = OutboxMethod.EditMessageReplyMarkup, Purpose = OutboxPurpose.Reply, Priority = OutboxMessage.NormalPriority,
                    ChatId = shown.Chat.Id.ToString(CultureInfo.InvariantCulture), MessageId = shown.MessageId,
                    ReplyMarkupJson = AnsweredKeyboard(question, index), CreatedAt = _receivedAt, NotBefore = _receivedAt,
                });
            }
            return Decision();
        }

        /// <summary>
        /// A button of a ticked keyboard. It still says the question is answered after /forget or a start-over deleted the
        /// answer, and "already answered" would then tell the participant their chance is spent when it is not.
        /// </summary>
        BotDecision OnAnsweredButton(CallbackQuery query, string code)
        {
            if (_state.FindQuestionByCode(code) is not { } question)
                return Toast(query, General.ToastAlreadyAnswered);
            var texts = TextsFor(question);
            if (_state.HasAnswered(question.Id, _participant.Id))
                return Toast(query, texts.ToastAlreadyAnswered);
            if (question.State == QuestionState.Draft)
                return Toast(query, texts.ToastNotOpen);
            // Every ticked button carries the same data, so the press cannot be taken as a fresh answer.
            return Toast(query, _forgotten ? texts.ToastForgotten(question.Code) : texts.ToastAnswerDeleted(question.Code));
        }

        static bool TryParseAnswerData(string data, out string code, out int index)
        {
            code = "";
            index = -1;
            if (!data.StartsWith(AnswerCallbackPrefix, StringComparison.Ordinal))
                return false;
            var rest = data.AsSpan(AnswerCallbackPrefix.Length);
            var colon = rest.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out index))
                return false;
            code = rest[..colon].ToString();
            return Tokens.IsValidQuestionCode(code);
        }

        BotDecision Toast(CallbackQuery query, string text)
        {
            _messages.Add(new OutboxMessage
            {
                Method = OutboxMethod.AnswerCallbackQuery, Purpose = OutboxPurpose.CallbackAnswer, Priority = OutboxMessage.UrgentPriority,
                ChatId = query.From.Id.ToString(CultureInfo.InvariantCulture), CallbackQueryId = query.Id,
                Text = TelegramHtml.Truncate(text, 200), CreatedAt = _receivedAt, NotBefore = _receivedAt,
            });
            return Decision();
        }

        // ---- building blocks ---------------------------------------------------------------

        BotTexts General => BotTexts.For(_state.CurrentEvent?.Language);

        BotTexts TextsFor(Question question) =>
            BotTexts.For((question.Event ?? _state.FindEvent(question.EventId) ?? _state.CurrentEvent)?.Language);

        /// <summary>
        /// Telegram's message date when there is one, else when we received the update. The date is
        /// whole seconds, so it can fall just before the opening; the answer cannot have, so it is clamped.
        /// </summary>
        DateTimeOffset AnsweredAt(Question question, DateTime? messageDate)
        {
            var at = messageDate is { } date && date > DateTime.UnixEpoch ? Utc(date) : _receivedAt;
            return question.OpenedAt is { } opened && at < opened ? opened : at;
        }

        /// <summary>
        /// Sent before the question opened, for sure: typed blind while the question was still a draft and delivered once it
        /// was open (Telegram holds updates back while the server cannot take them, then sends them all). Its time would be
        /// the opening's and it would top the ranking. Telegram's date is whole seconds on Telegram's clock, hence the
        /// second and the least arrival lag seen: that lag is never below the difference between the two clocks, so a
        /// message sent after the opening is never taken for one sent before it. Within that margin it stays an answer.
        /// </summary>
        bool SentBeforeOpening(Question question, DateTime? messageDate) =>
            _leastLag is { } lag && messageDate is { } date && date > DateTime.UnixEpoch && question.OpenedAt is { } opened
            && Utc(date) + TimeSpan.FromSeconds(1) + lag <= opened;

        /// <summary>After the close, or sent after the time limit ran out even if the close is still on its way.</summary>
        static bool IsLate(Question question, DateTimeOffset answeredAt) =>
            question.State == QuestionState.Closed || question.Deadline is { } deadline && answeredAt > deadline;

        string PromptText(Question question, BotTexts texts, string? intro = null)
        {
            // The same for everyone who scans the code: built once per question and language, not once per participant.
            if (intro is not null || HasTimeLeft(question))
                return BuildPromptText(question, texts, intro);
            if (QuestionPrompts.Find(question, texts) is { } kept)
                return kept;
            var text = BuildPromptText(question, texts, intro: null);
            QuestionPrompts.Keep(question, texts, text);
            return text;
        }

        /// <summary>The prompt ends with the time left (<see cref="BotTexts.TimeLeft"/>): the question runs, against a time limit.</summary>
        bool HasTimeLeft(Question question) => question.State == QuestionState.Open && question.Deadline > _receivedAt;

        string BuildPromptText(Question question, BotTexts texts, string? intro)
        {
            var head = (intro is null ? "" : intro + "\n\n") + texts.QuestionTitle(question.Position) + "\n\n";
            var footer = new StringBuilder("\n\n");
            footer.Append(question.Kind switch
            {
                QuestionKind.MultipleChoice => texts.PromptChoice,
                QuestionKind.Numeric => texts.PromptNumeric,
                _ => texts.PromptFreeText,
            });
            if (HasTimeLeft(question))
                footer.Append('\n').Append(texts.TimeLeft(TimeLeftLine.SecondsLeft(question.Deadline!.Value, _receivedAt)));
            var tail = footer.ToString();
            // Buttons cut long options short on a phone, so list them too when they fit in one message.
            if (question.Kind == QuestionKind.MultipleChoice && ChannelPosts.OptionList(question) is var list
                && TelegramHtml.VisibleLength(head) + TelegramHtml.ExpandTabs(question.Prompt).Length + TelegramHtml.VisibleLength(list + tail) <= TelegramHtml.MessageMax)
                tail = list + tail;
            return TelegramHtml.WithPrompt(head, question.Prompt, tail);
        }

        static string? Keyboard(Question question) =>
            question.Kind == QuestionKind.MultipleChoice ? QuestionKeyboards.Of(question).Open : null;

        /// <summary>
        /// The same buttons with the chosen one marked 📨, as "recorded" is in the texts: a ✅ would read as "right" to someone
        /// who chose wrong. Pressing any of them now only says it is done.
        /// </summary>
        static string AnsweredKeyboard(Question question, int chosen) => QuestionKeyboards.Of(question).Answered(chosen);

        static string Letters(Question question) =>
            question.Options.Count switch
            {
                0 => "",
                1 => "A",
                var n => $"A–{QuestionRules.OptionLabel(n - 1)}",
            };

        void Edit()
        {
            if (_participantChanged)
                return;
            // Copy on write: the state's object stays as it is until the writer applies the decision.
            var p = _participant;
            _participant = new Participant
            {
                Id = p.Id, FirstName = p.FirstName, LastName = p.LastName, Username = p.Username, LanguageCode = p.LanguageCode,
                TeamName = p.TeamName, HeadCount = p.HeadCount, Registration = p.Registration,
                CurrentQuestionId = p.CurrentQuestionId, CreatedAt = p.CreatedAt, LeftOutAt = p.LeftOutAt,
            };
            _participantChanged = true;
        }

        void SetRegistration(RegistrationStep step)
        {
            if (_participant.Registration == step)
                return;
            Edit();
            _participant.Registration = step;
        }

        void SetCurrentQuestion(int? questionId)
        {
            if (_participant.CurrentQuestionId == questionId)
                return;
            Edit();
            _participant.CurrentQuestionId = questionId;
        }

        OutboxMessage Message(string html, string? replyMarkupJson = null, int priority = OutboxMessage.NormalPriority) => new()
        {
            Method = OutboxMethod.SendMessage, Purpose = OutboxPurpose.Reply, Priority = priority,
            ChatId = _chatId.ToString(CultureInfo.InvariantCulture), Text = html, ReplyMarkupJson = replyMarkupJson,
            CreatedAt = _receivedAt, NotBefore = _receivedAt,
        };

        BotDecision Reply(string html, string? replyMarkupJson = null, int priority = OutboxMessage.NormalPriority)
        {
            _messages.Add(Message(html, replyMarkupJson, priority));
            return Decision();
        }

        BotDecision Decision() => new()
        {
            Participant = _participantChanged ? _participant : null,
            Answer = _answer,
            Messages = _messages,
        };

        static string CollapseWhitespace(string text)
        {
            var sb = new StringBuilder(text.Length);
            foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                (sb.Length > 0 ? sb.Append(' ') : sb).Append(part);
            return sb.ToString();
        }

        static string Cap(string? text, int max) => text is null ? "" : text.Length <= max ? text : text[..max];

        static string? CapOrNull(string? text, int max) => string.IsNullOrEmpty(text) ? null : Cap(text, max);
    }

    /// <summary>
    /// A deep link's address, or its "?start=" (or "/start=") alone; the parameter as Telegram takes it, 1–64 of A-Z a-z 0-9 _ -.
    /// "start=0" with nothing before it is an answer (Python's range(start=0)), not a link.
    /// </summary>
    [GeneratedRegex(
        @"^(?:(?:https?://)?(?:www\.)?(?:t|telegram)\.me/@?[A-Za-z0-9_]{3,32}/?\?|tg://resolve\?domain=[A-Za-z0-9_]{3,32}&|[/?])start=(?<parameter>[A-Za-z0-9_-]{1,64})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeepLink();

    /// <summary>
    /// The number in the first line of a bot's message that is a prompt's title as Telegram shows it, without its bold:
    /// "Question 2", "Domanda 2", in every language the bot speaks.
    /// </summary>
    static int? PromptNumber(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
            foreach (var (before, after) in PromptTitles)
                if (line.Length > before.Length + after.Length && line.StartsWith(before, StringComparison.Ordinal) && line.EndsWith(after, StringComparison.Ordinal)
                    && int.TryParse(line[before.Length..^after.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    return number;
        return null;
    }

    /// <summary>What comes before and after the number in each language's prompt title, as Telegram shows it.</summary>
    static readonly (string Before, string After)[] PromptTitles = [.. QuizCatalog.Languages.Select(language =>
    {
        var title = System.Net.WebUtility.HtmlDecode(Regex.Replace(BotTexts.For(language).QuestionTitle(1234567), "<[^>]*>", ""));
        var at = title.IndexOf("1234567", StringComparison.Ordinal);
        return (title[..at], title[(at + 7)..]);
    })];

    /// <summary>A deep link's full address anywhere in a text, not inside a longer word or address.</summary>
    [GeneratedRegex(
        @"(?<![A-Za-z0-9_.\-/])(?:(?:https?://)?(?:www\.)?(?:t|telegram)\.me/@?[A-Za-z0-9_]{3,32}/?\?|tg://resolve\?domain=[A-Za-z0-9_]{3,32}&)start=(?<parameter>[A-Za-z0-9_-]{1,64})(?![A-Za-z0-9_-])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkInText();

    /// <summary>
    /// A question's prompt without an intro or a time-left line, per language, kept while the question lives and its
    /// number, kind, prompt and options stay what the text was built from (an edit builds it again).
    /// </summary>
    sealed class QuestionPrompts
    {
        static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Question, QuestionPrompts> Cache = new();

        readonly int _position;
        readonly QuestionKind _kind;
        readonly string _prompt;
        readonly string[] _options;
        (BotTexts Texts, string Text)[] _built = [];

        QuestionPrompts(Question question)
        {
            _position = question.Position;
            _kind = question.Kind;
            _prompt = question.Prompt;
            _options = [.. question.Options];
        }

        public static string? Find(Question question, BotTexts texts)
        {
            if (Cache.TryGetValue(question, out var prompts) && prompts.Fits(question))
                foreach (var (builtFor, text) in prompts._built)
                    if (ReferenceEquals(builtFor, texts))
                        return text;
            return null;
        }

        public static void Keep(Question question, BotTexts texts, string text)
        {
            if (!Cache.TryGetValue(question, out var prompts) || !prompts.Fits(question))
            {
                prompts = new QuestionPrompts(question);
                Cache.AddOrUpdate(question, prompts);
            }
            prompts._built = [.. prompts._built, (texts, text)]; // one per language the event has ever used: a handful
        }

        bool Fits(Question question) =>
            question.Position == _position && question.Kind == _kind && string.Equals(question.Prompt, _prompt, StringComparison.Ordinal)
            && question.Options.SequenceEqual(_options);
    }

    /// <summary>
    /// A question's inline keyboards as Bot API JSON. They are the same for every participant, so each is serialized once
    /// per question (and per ticked option) instead of once per button press; an edited question gets new ones.
    /// </summary>
    sealed class QuestionKeyboards
    {
        static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Question, QuestionKeyboards> Cache = new();

        readonly string _code;
        readonly string[] _options;
        readonly string?[] _answered;

        QuestionKeyboards(Question question)
        {
            _code = question.Code;
            _options = [.. question.Options];
            _answered = new string?[_options.Length];
            Open = Serialize(_options.Select((option, i) => InlineKeyboardButton.WithCallbackData(
                $"{QuestionRules.OptionLabel(i)}) {option}", $"{AnswerCallbackPrefix}{_code}:{i}")));
        }

        public string Open { get; }

        public string Answered(int chosen)
        {
            string Build() => Serialize(_options.Select((option, i) => InlineKeyboardButton.WithCallbackData(
                (i == chosen ? "📨 " : "") + $"{QuestionRules.OptionLabel(i)}) {option}", AnsweredCallbackPrefix + _code)));
            return (uint)chosen < (uint)_answered.Length ? _answered[chosen] ??= Build() : Build();
        }

        public static QuestionKeyboards Of(Question question)
        {
            if (Cache.TryGetValue(question, out var keyboards) && keyboards.Fits(question))
                return keyboards;
            keyboards = new QuestionKeyboards(question);
            Cache.AddOrUpdate(question, keyboards);
            return keyboards;
        }

        bool Fits(Question question) => question.Code == _code && question.Options.SequenceEqual(_options);

        static string Serialize(IEnumerable<InlineKeyboardButton> buttons) =>
            JsonSerializer.Serialize(new InlineKeyboardMarkup(buttons.Select(button => new[] { button })), JsonBotAPI.Options);
    }
}
