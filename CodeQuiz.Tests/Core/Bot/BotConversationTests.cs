using System.Text.Json;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace CodeQuiz.Tests.Core.Bot;

public class BotConversationTests
{
    readonly ConversationWorld _world = new();

    static OutboxMessage Single(BotDecision decision) => Assert.Single(decision.Messages);

    static string ReplyText(BotDecision decision, string chatId = "987654321")
    {
        var message = Single(decision);
        Assert.Equal(OutboxMethod.SendMessage, message.Method);
        Assert.Equal(OutboxPurpose.Reply, message.Purpose);
        Assert.Contains(message.Priority, new[] { OutboxMessage.PromptPriority, OutboxMessage.NormalPriority });
        Assert.Equal(chatId, message.ChatId);
        return message.Text!;
    }

    // ---- what is ignored ------------------------------------------------------------------

    [Theory]
    [InlineData("group-message-start")]
    [InlineData("channel-post")]
    [InlineData("my-chat-member-blocked")]
    public void UpdatesOutsideAPrivateChatOrOtherThanNewMessagesAreIgnored(string fixture)
    {
        var e = _world.AddEvent("it");
        _world.AddQuestion(e, code: "Q7kP2x");
        var decision = _world.Send(Fixtures.Update(fixture));
        Assert.Same(BotDecision.Ignore, decision);
        Assert.True(decision.IsEmpty);
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
    }

    // ---- /start, /help and friends --------------------------------------------------------

    [Fact]
    public void StartWithoutAnEventWelcomesInEnglishAndRegistersTheParticipant()
    {
        var decision = _world.SendText("/start");
        var text = ReplyText(decision);
        Assert.Contains("Welcome to CodeQuiz", text);
        Assert.Contains("/team", text);
        var p = Assert.IsType<Participant>(decision.Participant);
        Assert.Equal((ConversationWorld.Giulia, "Giulia", "Rossi", "giuliarossi", "it"), (p.Id, p.FirstName, p.LastName, p.Username, p.LanguageCode));
        Assert.Equal(ConversationWorld.Now, p.CreatedAt);
    }

    [Fact]
    public void StartWelcomesInTheCurrentEventsLanguage()
    {
        _world.AddEvent("it", "Code Week <finale> & co");
        var text = ReplyText(_world.SendText("/start"));
        Assert.Contains("Ti diamo il benvenuto a Code Week &lt;finale&gt; &amp; co", text); // "Benvenuto" would greet every girl in the masculine
        Assert.Contains("Conta solo la prima risposta", text);
    }

    [Theory]
    [InlineData("/help")]
    [InlineData("/HELP@CodeQuizBot")]
    [InlineData("/whatever")]
    public void HelpAndUnknownCommandsExplainHowToPlay(string command)
    {
        _world.AddEvent("en");
        var text = ReplyText(_world.SendText(command));
        Assert.Contains("Scan it, or type the question's code here", text);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("it")]
    public void TheHelpShowsForgetAsTextToTypeNotAsACommandATapSends(string language)
    {
        _world.AddEvent(language);
        var text = ReplyText(_world.SendText("/help"));

        // Telegram sends a command shown in a bot's message at a tap, and /forget deletes every answer at once; in
        // monospace a tap only copies it.
        Assert.Contains("<code>/forget</code>", text);
        Assert.DoesNotContain("/forget", text.Replace("<code>/forget</code>", ""));
        Assert.Contains(" /team ", text); // the harmless ones stay a tap away
    }

    [Theory]
    [InlineData("\u3164", "en")]          // a Hangul filler: Telegram takes it, a screen shows nothing
    [InlineData("\u200B\u200B", "en")]    // zero-width spaces
    [InlineData("\u2800", "it")]          // the blank Braille pattern
    public void AnAnswerThatShowsNothingIsNotRecordedAndKeepsTheOneChance(string typed, string language)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var blank = _world.SendText(typed);

        Assert.Null(blank.Answer);
        Assert.Contains(language == "it" ? "Quel messaggio mi sembra vuoto" : "That message looks empty to me", ReplyText(blank), StringComparison.Ordinal);
        Assert.Equal("?!", _world.SendText("?!").Answer?.Text); // a visible shrug is an answer, and the chance was still there
    }

    [Theory]
    [InlineData("en", "👍", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", " 🙏🏻 🙏🏻", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "❤️", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "👩‍💻🇮🇹", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "👍!", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "🙏🙏...", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "«👍»?", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "‼️", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("en", "🤔⁉️", "A message of emoji alone is not taken as your answer to question 1, so nothing was recorded yet.")]
    [InlineData("it", "👍", "Un messaggio di sole emoji non vale come risposta alla domanda 1, quindi non ho ancora registrato nulla.")]
    public void AnEmojiAloneIsNotTakenAsAFreeTextAnswerAndKeepsTheOneChance(string language, string typed, string reply)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var reaction = _world.SendText(typed);

        Assert.Null(reaction.Answer);
        Assert.Contains(reply, ReplyText(reaction));
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData("en", "ciao!", "That reads as a greeting, so I did not take it as your answer to question 1: nothing was recorded yet.")]
    [InlineData("en", "Ok 👍", "That reads as a greeting, so I did not take it as your answer to question 1: nothing was recorded yet.")]
    [InlineData("en", "okkk", "That reads as a greeting, so I did not take it as your answer to question 1: nothing was recorded yet.")]
    [InlineData("en", "Thank you!!", "That reads as a greeting, so I did not take it as your answer to question 1: nothing was recorded yet.")]
    [InlineData("en", "hi everyone 👋", "That reads as a greeting, so I did not take it as your answer to question 1: nothing was recorded yet.")]
    [InlineData("it", "Ciao a tutti!", "Sembra un saluto, quindi non l'ho preso come risposta alla domanda 1: non ho ancora registrato nulla.")]
    [InlineData("it", "ok grazie mille", "Sembra un saluto, quindi non l'ho preso come risposta alla domanda 1: non ho ancora registrato nulla.")]
    [InlineData("it", "Eccomi", "Sembra un saluto, quindi non l'ho preso come risposta alla domanda 1: non ho ancora registrato nulla.")]
    public void AGreetingSentOnSeeingThePromptIsNotTakenAsAFreeTextAnswerAndKeepsTheOneChance(string language, string typed, string reply)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var greeting = _world.SendText(typed);

        Assert.Null(greeting.Answer);
        Assert.Contains(reply, ReplyText(greeting));
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData("ok 2")]
    [InlineData("hi()")]
    [InlineData("hello world")]
    [InlineData("okapi")]
    [InlineData("k8s")]
    [InlineData("ciao.c")]
    [InlineData("ciao mondo")]
    public void AnAnswerThatOnlyStartsLikeAGreetingIsRecorded(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        Assert.NotNull(_world.SendText(typed).Answer);
    }

    [Fact]
    public async Task ARunOfOneLetterThatEndsInAnotherIsRecordedAtOnce()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        // Read as a greeting as far as its last letter: deciding must not try every way to split the k's before refusing it.
        var sent = Task.Run(() => _world.SendText(new string('k', 40) + "x"));
        Assert.Same(sent, await Task.WhenAny(sent, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.NotNull((await sent).Answer);
    }

    [Theory]
    [InlineData("Hello, World!", "hello")] // what does the first program print? Only half of it
    [InlineData("200 OK", "OK")] // what does the server answer?
    [InlineData("Ciao mondo", "ciao!")]
    public void AGreetingThatIsPartOfTheAcceptedAnswerIsAWrongAnswerNotASecondChance(string accepted, string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        q.AcceptedAnswers = [accepted];
        _world.SendText(q.Code);

        Assert.True(_world.SendText(typed).Answer is { IsCorrect: false });
    }

    [Fact]
    public void AGreetingIsAnAnswerWhenTheQuestionAcceptsIt()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        q.AcceptedAnswers = ["Hello"]; // what does the classic first program print, in one word?
        _world.SendText(q.Code);
        Assert.True(_world.SendText("hello!").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData("&&")]
    [InlineData("👍 gio")]
    [InlineData("👍 42!")]
    [InlineData("&& 👍")]
    [InlineData("@👍")]
    [InlineData("(👍)")]
    [InlineData("1️⃣")]
    public void AnAnswerWithMoreThanEmojiIsRecorded(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        Assert.NotNull(_world.SendText(typed).Answer);
    }

    [Theory]
    [InlineData("TM", "™")]   // the trade mark sign is read as the letters TM
    [InlineData("°C", "℃")]   // the degree Celsius sign is read as °C
    public void ASymbolThatIsAnAcceptedAnswerIsRecordedAsRight(string accepted, string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        q.AcceptedAnswers = [accepted];
        _world.SendText(q.Code);
        Assert.True(_world.SendText(typed).Answer is { IsCorrect: true });
    }

    [Fact]
    public void AnEmojiIsAnAnswerWhenTheQuestionExpectsOne()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        q.AcceptedAnswers = ["🐍"];
        _world.SendText(q.Code);
        Assert.True(_world.SendText("🐍").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData("//")]
    [InlineData("/etc/hosts")]
    [InlineData("/")]
    [InlineData("/2")]
    public void TextThatOnlyLooksLikeACommandIsAnAnswerWhenAQuestionIsCurrent(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var decision = _world.SendText(typed);
        Assert.Equal(typed, decision.Answer?.Text);
        Assert.Contains("is recorded", ReplyText(decision));
    }

    [Theory]
    [InlineData("/skip", "/skip")]
    [InlineData("/stop", "/stop")]
    [InlineData("/cancel", "/cancel")]
    [InlineData("/strat Q7kP2xAbCd", "/strat")]
    [InlineData("/Skip@CodeQuizBot", "/Skip")]
    public void AnUnknownCommandIsNotTakenAsTheAnswerAndTheChanceIsKept(string typed, string named)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText("/start Q7kP2xAbCd");

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Null(decision.Participant);
        Assert.Contains($"I don't know the command <code>{named}</code>", ReplyText(decision));
        Assert.Contains("question 1", ReplyText(decision));
        var answer = _world.SendText("gio").Answer;
        Assert.True(answer is { IsCorrect: true } && answer.QuestionId == q.Id);
    }

    [Theory]
    [InlineData("/start@CodeQuizBot Q7kP2x")]
    [InlineData("/start\u00A0Q7kP2x")]
    [InlineData("/START\nQ7kP2x")]
    public void TheDeepLinkCommandIsReadWhateverSeparatesTheCode(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2x");
        Assert.Contains("Chi ha scritto questo quiz?", ReplyText(_world.SendText(typed)));
        Assert.Equal(q.Id, _world.Participant(ConversationWorld.Giulia)?.CurrentQuestionId);
    }

    [Theory]
    [InlineData("https://t.me/CodeQuizBot?start=N7kP2xAbCd")]
    [InlineData("t.me/CodeQuizBot?start=N7kP2xAbCd")]
    [InlineData("  http://telegram.me/CodeQuizBot/?start=N7kP2xAbCd ")]
    [InlineData("tg://resolve?domain=CodeQuizBot&start=N7kP2xAbCd")]
    [InlineData("/start=N7kP2xAbCd")]
    [InlineData("?start=N7kP2xAbCd")]
    [InlineData("https://t.me/CodeQuizBot?start=N7kP2xAbCd.")]    // a phone's double space types a full stop
    [InlineData("<https://t.me/CodeQuizBot?start=N7kP2xAbCd>")]
    [InlineData("(t.me/CodeQuizBot?start=N7kP2xAbCd)")]
    [InlineData("\"https://t.me/CodeQuizBot?start=N7kP2xAbCd\"!")]
    [InlineData("/start https://t.me/CodeQuizBot?start=N7kP2xAbCd")]
    public void AQuestionsLinkPastedAsTextOpensItsQuestionAndIsNotTheCurrentQuestionsAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        var second = _world.AddQuestion(e, QuestionKind.Numeric, code: "N7kP2xAbCd");
        _world.SendText("/start " + first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains("Quanto vale π con due decimali?", ReplyText(decision));
        Assert.Equal(second.Id, _world.Participant(ConversationWorld.Giulia)?.CurrentQuestionId);
        _world.SendText("/start " + first.Code);
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true } answer && answer.QuestionId == first.Id);
    }

    [Theory]
    [InlineData("https://t.me/CodeQuizBot?start=N7kP2xAbCd 3.14")]
    [InlineData("I scanned https://t.me/CodeQuizBot?start=N7kP2xAbCd, is it this one?")]
    [InlineData("/start t.me/CodeQuizBot?start=N7kP2xAbCd please")]
    public void AQuestionsLinkWithWordsAroundItOpensItsQuestionAndSaysTheWordsAreNoAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        var second = _world.AddQuestion(e, QuestionKind.Numeric, code: "N7kP2xAbCd");
        _world.SendText("/start " + first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        var reply = ReplyText(decision);
        Assert.StartsWith("ℹ️ I read only the code: the rest of your message was not taken as an answer.", reply);
        Assert.Contains("Quanto vale π con due decimali?", reply);
        Assert.Equal(second.Id, _world.Participant(ConversationWorld.Giulia)?.CurrentQuestionId);
    }

    [Theory]
    [InlineData("use t.me/MyOwnBot?start=hello")]
    [InlineData("https://t.me/MyOwnBot?start=hello is how")]
    public void AnAnswerQuotingALinkThatIsNoQuestionOfTheEventIsRecordedAsTheAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText("/start " + q.Code);

        Assert.True(_world.SendText(typed).Answer is { } answer && answer.QuestionId == q.Id);
    }

    [Theory]
    [InlineData("see https://gist.github.com/x?start=N7kP2xAbCd")]
    [InlineData("https://example.com/t.me/CodeQuizBot?start=N7kP2xAbCd")]
    public void AnAnswerWithAnotherSitesStartParameterIsRecordedAsTheAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.AddQuestion(e, QuestionKind.Numeric, code: "N7kP2xAbCd");
        _world.SendText("/start " + q.Code);

        Assert.True(_world.SendText(typed).Answer is { } answer && answer.QuestionId == q.Id);
    }

    [Fact]
    public void ALinkWithAnUnknownCodePastedAsTextSaysSoAndKeepsTheCurrentQuestionsChance()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText("/start " + q.Code);

        var decision = _world.SendText("https://t.me/CodeQuizBot?start=Zz9Zz9Zz9Z");

        Assert.Null(decision.Answer);
        Assert.Contains("I don't know the code <code>Zz9Zz9Zz9Z</code>", ReplyText(decision));
        _world.SendText("/start " + q.Code);
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData("start=0")]
    [InlineData("start=end")]
    public void AnAnswerThatOnlyLooksLikeALinksTailIsRecordedAsTheAnswer(string typed)
    {
        // range(start=0) is Python: in a coding quiz "start=0" is an answer, not a deep link; only a link or "?start=" is.
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText("/start " + q.Code);

        var decision = _world.SendText(typed);

        Assert.True(decision.Answer is { IsCorrect: false } answer && answer.QuestionId == q.Id, ReplyText(decision));
    }

    [Fact]
    public void TheTeamLinkPastedAsTextAsksForTheTeamName() =>
        Assert.Contains("What is your team called?", ReplyText(_world.SendText("https://t.me/CodeQuizBot?start=register")));

    [Fact]
    public void TheTeamNameQuestionShowsANameLongEnoughAsAClassWouldWriteIt() =>
        // A class is "4B", two characters: too short a name, so the question shows one that is long enough.
        Assert.Contains("such as <i>Class 4B</i>", ReplyText(_world.SendText("/team")));

    [Theory]
    [InlineData("/help?", "Scan it")]
    [InlineData("/help.", "Scan it")]       // a phone's double space types a full stop
    [InlineData("/team!", "What is your team called?")]
    [InlineData("/skip?", "I don't know the command <code>/skip?</code>")]
    public void ACommandWithPunctuationAfterItIsStillACommandAndNotTheCurrentQuestionsAnswer(string typed, string said)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(said, ReplyText(decision));
        _world.SendText("/start " + q.Code);
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId); // the one chance is still there
    }

    [Theory]
    [InlineData("／ｈｅｌｐ", "Scan it")]                    // a phone's IME in full-width mode
    [InlineData("／ＨＥＬＰ？", "Scan it")]
    [InlineData("／ｔｅａｍ", "What is your team called?")]
    [InlineData("/ｓｔａｒｔ", "<b>Welcome to")]
    [InlineData("／ｓｔａｒｔ＠ＣｏｄｅＱｕｉｚＢｏｔ", "<b>Welcome to")]
    [InlineData("／ｓｋｉｐ＠ＣｏｄｅＱｕｉｚＢｏｔ", "I don't know the command <code>／ｓｋｉｐ</code>")]
    [InlineData("／ｓｔａｒｔ Ｑ７ｋＰ２ｘＡｂＣｄ", "<b>Question 2</b>")]
    [InlineData("／ｓｔａｒｔ\u3000Ｑ７ｋＰ２ｘＡｂＣｄ", "<b>Question 2</b>")] // an ideographic space
    public void ACommandTypedInFullWidthIsStillACommandAndNotTheCurrentQuestionsAnswer(string typed, string said)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(said, ReplyText(decision), StringComparison.Ordinal);
        _world.SendText("/start " + q.Code);
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId); // the one chance is still there
    }

    [Theory]
    [InlineData("\u2215help", "Scan it")]                        // DIVISION SLASH, as a maths keyboard types it
    [InlineData("\u2044help", "Scan it")]                        // FRACTION SLASH
    [InlineData("\u2215HELP?", "Scan it")]
    [InlineData("\u2215team", "What is your team called?")]
    [InlineData("\u2044start", "<b>Welcome to")]
    [InlineData("\u2215start@CodeQuizBot Q7kP2xAbCd", "<b>Question 2</b>")]
    [InlineData("\u2215ｈｅｌｐ", "Scan it")]
    public void ACommandAfterASlashLookAlikeIsStillACommandAndNotTheCurrentQuestionsAnswer(string typed, string said)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(said, ReplyText(decision), StringComparison.Ordinal);
        _world.SendText("/start " + q.Code);
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId); // the one chance is still there
    }

    [Theory]
    [InlineData("\u20442")]
    [InlineData("\u2215skip")]      // not one of the bot's commands: a look-alike slash in front of a word can be an answer
    [InlineData("\u2044x")]
    public void ASlashLookAlikeBeforeAWordThatIsNoCommandIsAnAnswerAsTyped(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        Assert.Equal(typed, _world.SendText(typed).Answer?.Text);
    }

    [Fact]
    public void AFullWidthTeamNameAfterTheCommandIsStoredAsTyped()
    {
        _world.AddEvent("en");
        var decision = _world.SendText("／ｔｅａｍ Ｃｌａｓｓｅ ３Ｂ");
        Assert.Equal(("Ｃｌａｓｓｅ ３Ｂ", RegistrationStep.AwaitingHeadCount), (decision.Participant?.TeamName, decision.Participant?.Registration));
    }

    [Fact]
    public void AnUnknownCommandAfterTheCloseGetsNoLateVerdict()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, state: QuestionState.Closed);
        _world.SendText(q.Code);
        var decision = _world.SendText("/annulla");
        Assert.Null(decision.Answer);
        Assert.Contains("Non conosco il comando <code>/annulla</code>", ReplyText(decision));
    }

    [Theory]
    [InlineData("/etc", true)]
    [InlineData("/etc.", true)]   // command-shaped once its full stop is set aside: still an answer here
    [InlineData("／ｅｔｃ", true)]  // full width: command-shaped, still an answer here, and stored as typed
    [InlineData("/usr", false)]
    [InlineData("/skip", false)]
    public void WhenAnAcceptedAnswerStartsWithASlashEveryCommandShapedTextIsAnAnswer(string typed, bool correct)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        q.AcceptedAnswers = ["/etc", "/etc/"];
        _world.SendText(q.Code);
        var decision = _world.SendText(typed);
        Assert.Equal(typed, decision.Answer?.Text);
        Assert.Equal(correct, decision.Answer!.IsCorrect);
        Assert.Contains("is recorded", ReplyText(decision));
    }

    [Fact]
    public void AnOptionStartingWithASlashCanBeTyped()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);
        q.Options = ["/bin", "/etc", "/usr"];
        _world.SendText(q.Code);
        Assert.Contains("send the letter of your choice", ReplyText(_world.SendText("/skip")));
        var answer = _world.SendText("/etc").Answer!;
        Assert.Equal((1, true), (answer.OptionIndex, answer.IsCorrect));
    }

    [Theory]
    [InlineData("\u200F/help", "Scan it")]                     // the direction mark a right-to-left keyboard types first
    [InlineData("\u200E/team", "What is your team called?")]
    [InlineData("\u200B/help", "Scan it")]                     // a zero-width space pasted with the text
    [InlineData("/help\u200B", "Scan it")]
    [InlineData("\uFEFF/start Q7kP2xAbCd", "<b>Question 2</b>")]
    [InlineData("\u2060 /skip", "I don't know the command <code>/skip</code>")]
    public void ACommandWithAnInvisibleCharacterAroundItIsStillACommandAndNotTheCurrentQuestionsAnswer(string typed, string said)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(said, ReplyText(decision), StringComparison.Ordinal);
        _world.SendText("/start " + q.Code);
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId); // the one chance is still there
    }

    [Fact]
    public void ACommandWithAnInvisibleCharacterBeforeItIsNotATeamName()
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        var decision = _world.SendText("\u200F/help");

        Assert.Contains("Scan it", ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.None), (p.TeamName, p.Registration));
    }

    [Theory]
    [InlineData("\u200B12", 12)]
    [InlineData("7\u200B", 7)]
    [InlineData("\u200F25", 25)]
    public void AHeadCountWithAnInvisibleCharacterAroundItIsStillTheNumber(string typed, int people)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        var decision = _world.SendText(typed);
        Assert.Contains($"is registered: {people} people", ReplyText(decision));
        Assert.Equal(people, decision.Participant?.HeadCount);
    }

    [Fact]
    public void KnownCommandsStayCommandsWhileAQuestionIsCurrent()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var decision = _world.SendText("/help");
        Assert.Null(decision.Answer);
        Assert.Contains("Scan it", ReplyText(decision));
    }

    [Fact]
    public void ANewMessageFromAKnownParticipantWritesNoParticipantRowWhenNothingChanged()
    {
        _world.SendText("/start");
        Assert.Null(_world.SendText("/help").Participant);
        var renamed = _world.SendText("/help", firstName: "Giulia Maria");
        Assert.Equal("Giulia Maria", renamed.Participant?.FirstName);
    }

    [Fact]
    public void AChangedParticipantIsACopySoTheStateIsUntouchedUntilTheDecisionIsApplied()
    {
        _world.SendText("/start");
        var stored = _world.Participant(ConversationWorld.Giulia)!;
        var decision = _world.Conversation.Decide(_world.TextUpdate("/team"), _world, ConversationWorld.Now);
        Assert.NotSame(stored, decision.Participant);
        Assert.Equal(RegistrationStep.AwaitingTeamName, decision.Participant!.Registration);
        Assert.Equal(RegistrationStep.None, stored.Registration);
    }

    [Theory]
    [InlineData("message-sticker")]
    [InlineData("message-photo")]
    public void StickersPhotosAndOtherContentGetAPoliteHelpReply(string fixture)
    {
        _world.AddEvent("it");
        var decision = _world.Send(Fixtures.Update(fixture));
        Assert.Contains("Leggo solo messaggi di testo", ReplyText(decision));
        Assert.Null(decision.Answer);
        Assert.NotNull(decision.Participant);
    }

    [Theory]
    [InlineData(QuestionKind.FreeText, "gio 😊", true)]
    [InlineData(QuestionKind.FreeText, "rossi 😊", false)]
    [InlineData(QuestionKind.Numeric, "3,14 🎉", true)]
    [InlineData(QuestionKind.Numeric, "🤞 2,71", false)]   // a wrong number, not "send a number": the chance is spent
    [InlineData(QuestionKind.MultipleChoice, "B 👍", true)]
    [InlineData(QuestionKind.MultipleChoice, "A 🤔", false)]
    public void AnAnswerWithAnEmojiBeforeOrAfterItIsRecordedAsTypedAndJudgedWithoutIt(QuestionKind kind, string typed, bool correct)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, kind);
        _world.SendText("/start " + q.Code);

        var answer = _world.SendText(typed).Answer;

        Assert.Equal((typed, correct), (answer?.Text, answer?.IsCorrect));
    }

    [Fact]
    public void AnAlbumOfPhotosGetsOneReplyNotOneAPhoto()
    {
        _world.AddEvent("it");
        Update Photo(int updateId, string album)
        {
            var update = Fixtures.Update("message-photo");
            update.Id = updateId;
            update.Message!.MediaGroupId = album;
            if (updateId % 2 == 0)
                update.Message.Caption = null; // only the first item of an album has the caption, as a phone sends it
            return update;
        }

        Assert.Contains("Leggo solo messaggi di testo", ReplyText(_world.Send(Photo(101, "13911111111111111"))));
        Assert.True(_world.Send(Photo(102, "13911111111111111")).IsEmpty);
        Assert.True(_world.Send(Photo(103, "13911111111111111")).IsEmpty);
        // Decided again after a failed batch, the first still replies.
        Assert.Contains("Leggo solo messaggi di testo", ReplyText(_world.Send(Photo(101, "13911111111111111"))));
        // The next album is answered once too.
        Assert.Contains("Leggo solo messaggi di testo", ReplyText(_world.Send(Photo(104, "13922222222222222"))));
        Assert.True(_world.Send(Photo(105, "13922222222222222")).IsEmpty);
        // Another chat's album with the same id (ids are per chat) is its own.
        var other = Photo(106, "13922222222222222");
        other.Message!.Chat.Id = other.Message.From!.Id = 555;
        Assert.NotEmpty(_world.Send(other).Messages);
    }

    [Theory]
    [InlineData("message-sticker", "/team", "Leggo solo messaggi di testo.\n\n👥 Come si chiama la tua squadra?")]
    [InlineData("message-photo", "/team", "Leggo solo messaggi di testo.\n\n👥 Come si chiama la tua squadra?")]
    [InlineData("message-photo", "/team Classe 3B", "Leggo solo messaggi di testo.\n\nQuante persone rispondono da questo telefono per <b>Classe 3B</b>")]
    [InlineData("message-forwarded-with-long-text", "/team", "messaggio inoltrato, quindi non l'ho preso.\n\n👥 Come si chiama la tua squadra?")]
    [InlineData("message-forwarded-with-long-text", "/team Classe 3B", "messaggio inoltrato, quindi non l'ho preso.\n\nQuante persone rispondono da questo telefono per <b>Classe 3B</b>")]
    public void ContentOtherThanTypedTextWhileRegisteringATeamAsksAgainForTheNameOrHeadCount(string fixture, string register, string said)
    {
        _world.AddEvent("it");
        _world.SendText(register);
        var step = _world.Participant(ConversationWorld.Giulia)!.Registration;

        var decision = _world.Send(Fixtures.Update(fixture));

        var text = ReplyText(decision);
        Assert.Contains(said, text, StringComparison.Ordinal);
        Assert.DoesNotContain("risposta", text, StringComparison.Ordinal); // no answer is asked for: a name or a number is
        Assert.Equal(step, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    public static TheoryData<string, Action<Message>> ServiceMessages => new()
    {
        { "pinned", m => m.PinnedMessage = new Message { Id = 3, Chat = m.Chat, Date = m.Date, Text = "gio" } },
        { "auto-delete timer", m => m.MessageAutoDeleteTimerChanged = new MessageAutoDeleteTimerChanged { MessageAutoDeleteTime = 86400 } },
        { "write access", m => m.WriteAccessAllowed = new WriteAccessAllowed() },
    };

    [Theory]
    [MemberData(nameof(ServiceMessages))]
    public void AServiceMessageInThePrivateChatIsIgnored(string kind, Action<Message> make)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        var update = _world.TextUpdate("x");
        update.Message!.Text = null;
        make(update.Message);

        var decision = _world.Send(update);

        Assert.True(decision.IsEmpty, kind);
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
        _world.SendText(q.Code); // and it does not get in the way of an answer
        Assert.Same(BotDecision.Ignore, _world.Send(update));
        Assert.NotNull(_world.SendText("gio").Answer);
    }

    [Fact]
    public void APinnedMessageNoticeAsTelegramSendsItGetsNoReply()
    {
        _world.AddEvent("it");
        var update = Fixtures.Update("message-pinned-notice");
        Assert.Equal(MessageType.PinnedMessage, update.Message!.Type);
        Assert.Same(BotDecision.Ignore, _world.Send(update));
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
    }

    [Fact]
    public void AMessageOfAKindNewerThanTheBotGetsThePoliteTextOnlyReplyAndKeepsTheChance()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var update = Fixtures.Update("message-unknown-kind"); // "some_future_kind", and nothing this Telegram.Bot knows
        Assert.Equal(MessageType.Unknown, update.Message!.Type);

        var decision = _world.Send(update);

        Assert.Contains("Leggo solo messaggi di testo", ReplyText(decision));
        Assert.Null(decision.Answer);
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true });
    }

    [Theory]
    [InlineData(ChatType.Group)]
    [InlineData(ChatType.Supergroup)]
    public void AMessageOfAKindNewerThanTheBotInAGroupIsIgnoredAsEverythingInAGroupIs(ChatType type)
    {
        _world.AddEvent("it");
        var update = Fixtures.Update("message-unknown-kind");
        update.Message!.Chat = new Chat { Id = -1001234567890, Type = type, Title = "Classe 3B" };
        Assert.Same(BotDecision.Ignore, _world.Send(update));
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
    }

    [Fact]
    public void AVoiceMessageGetsThePoliteTextOnlyReply()
    {
        _world.AddEvent("en");
        var update = _world.TextUpdate("x");
        update.Message!.Text = null;
        update.Message.Voice = new Voice { FileId = "v1", FileUniqueId = "v1u", Duration = 3 };
        Assert.Contains("I can only read text messages", ReplyText(_world.Send(update)));
    }

    [Fact]
    public void AForwardedMessageIsNotTakenAsTheAnswer()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var forwarded = Fixtures.Update("message-forwarded-with-long-text");

        var decision = _world.Send(forwarded);

        Assert.Null(decision.Answer);
        Assert.Contains("messaggio inoltrato", ReplyText(decision));
        var own = _world.SendText("gio").Answer;
        Assert.True(own is { IsCorrect: true });
    }

    [Fact]
    public void AForwardedMessageOfAKindNoPersonWritesIsStillAnsweredAsForwarded()
    {
        _world.AddEvent("en");
        var update = _world.TextUpdate("x");
        update.Message!.Text = null;
        update.Message.Giveaway = new Giveaway { Chats = [new Chat { Id = -100123, Type = ChatType.Channel }], WinnersSelectionDate = ConversationWorld.Now.UtcDateTime, WinnerCount = 3 };
        update.Message.ForwardOrigin = new MessageOriginChannel { Chat = new Chat { Id = -100123, Type = ChatType.Channel }, MessageId = 5, Date = ConversationWorld.Now.UtcDateTime };
        Assert.Equal(MessageType.Giveaway, update.Message.Type);

        Assert.Contains("That is a forwarded message", ReplyText(_world.Send(update)));
    }

    [Fact]
    public void AnInvoiceSentThroughAnInlineBotGetsThePoliteTextOnlyReply()
    {
        _world.AddEvent("en");
        var update = _world.TextUpdate("x");
        update.Message!.Text = null;
        update.Message.Invoice = new global::Telegram.Bot.Types.Payments.Invoice { Title = "Stickers", Description = "A pack", StartParameter = "x", Currency = "XTR", TotalAmount = 5 };
        update.Message.ViaBot = new User { Id = 777, IsBot = true, FirstName = "Shop", Username = "ShopBot" };
        Assert.Equal(MessageType.Invoice, update.Message.Type);

        Assert.Contains("I can only read text messages", ReplyText(_world.Send(update)));
    }

    [Fact]
    public void AForwardedMessageIsNeitherATeamNameNorACode()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText("/team");
        foreach (var text in new[] { "Classe 3B", q.Code })
        {
            var update = _world.TextUpdate(text);
            update.Message!.ForwardOrigin = new MessageOriginChannel { Chat = new Chat { Id = -100123, Type = ChatType.Channel }, MessageId = 5, Date = ConversationWorld.Now.UtcDateTime };
            var decision = _world.Send(update);
            Assert.Contains("That is a forwarded message", ReplyText(decision));
            Assert.Null(decision.Participant);
        }
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.AwaitingTeamName, (int?)null), (p.TeamName, p.Registration, p.CurrentQuestionId));
    }

    [Fact]
    public void TextWithNoCurrentQuestionGetsHelp()
    {
        _world.AddEvent("en");
        var decision = _world.Send(Fixtures.Update("message-text-answer"));
        Assert.Contains("not waiting for an answer", ReplyText(decision));
        Assert.Null(decision.Answer);
    }

    [Fact]
    public void ForgetDeletesTheParticipantAndConfirms()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("gio");
        var decision = _world.SendText("/forget");
        Assert.Equal(ConversationWorld.Giulia, decision.ForgetParticipantId);
        Assert.Null(decision.Participant);
        Assert.Contains("deleted your name, your team and your answers", ReplyText(decision));
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
        Assert.Empty(_world.Answers);
    }

    [Theory]
    [InlineData("/team", "👥 Come si chiama la tua squadra?")]
    [InlineData("/team Classe 3B", "Quante persone rispondono da questo telefono per <b>Classe 3B</b>")]
    public void AnEditWhileRegisteringATeamChangesNothingAndAsksAgainForTheNameOrHeadCount(string register, string asked)
    {
        _world.AddEvent("it");
        _world.SendText(register);
        var step = _world.Participant(ConversationWorld.Giulia)!.Registration;

        var text = ReplyText(_world.Send(Fixtures.Update("edited-message")));

        Assert.Contains("la tua modifica non cambia nulla.\n\n" + asked, text, StringComparison.Ordinal);
        Assert.DoesNotContain("risposta", text, StringComparison.Ordinal);
        Assert.Equal(step, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    [Fact]
    public void AnEditedAnswerChangesNothingAndItsAuthorIsToldToSendANewMessage()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, QuestionKind.Numeric, code: "Q7kP2x");
        _world.Send(Fixtures.Update("message-start-with-code"));
        Assert.Contains("Invia un numero", ReplyText(_world.SendText("tre e qualcosa")));

        var edit = Fixtures.Update("edited-message"); // the slip, corrected in place
        edit.EditedMessage!.Text = "3,14";
        var decision = _world.Send(edit);

        Assert.Null(decision.Answer);
        Assert.Contains("la tua modifica non cambia nulla", ReplyText(decision));
        Assert.Contains("invia la risposta come nuovo messaggio", ReplyText(decision));
        Assert.Equal(q.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
        Assert.True(_world.SendText("3,14").Answer is { IsCorrect: true });
        Assert.Contains("la tua modifica non cambia nulla", ReplyText(_world.Send(Fixtures.Update("edited-message"))));
        Assert.Single(_world.Answers);
    }

    [Fact]
    public void AnEditOfAMessageSentBeforeForgetDoesNotStoreTheNameAgain()
    {
        var e = _world.AddEvent("it");
        _world.AddQuestion(e, code: "Q7kP2x");
        _world.Send(Fixtures.Update("message-start-with-code"));
        _world.Send(Fixtures.Update("message-text-answer"));
        _world.SendText("/forget");

        var decision = _world.Send(Fixtures.Update("edited-message")); // the answer from before, corrected in place

        Assert.Contains("la tua modifica non cambia nulla", ReplyText(decision));
        Assert.Null(decision.Answer);
        Assert.Null(decision.Participant);
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
    }

    public static TheoryData<string, Action<Message>> EditsThatAreNotText => new()
    {
        { "a live location moving", m => { m.Text = null; m.Location = new Location { Latitude = 45.07, Longitude = 7.69, LivePeriod = 900 }; } },
        { "a photo's caption", m => { m.Text = null; m.Photo = [new PhotoSize { FileId = "p", FileUniqueId = "pu", Width = 90, Height = 67 }]; m.Caption = "gio"; } },
        { "in a group", m => m.Chat = new Chat { Id = -1001234567890, Type = ChatType.Supergroup, Title = "3B" } },
        { "by a bot", m => m.From!.IsBot = true },
    };

    [Theory]
    [MemberData(nameof(EditsThatAreNotText))]
    public void AnEditOfAnythingButAParticipantsTextIsIgnored(string kind, Action<Message> make)
    {
        _world.AddEvent("en");
        var edit = Fixtures.Update("edited-message");
        make(edit.EditedMessage!);
        Assert.True(_world.Send(edit).IsEmpty, kind);
    }

    // ---- codes ----------------------------------------------------------------------------

    [Fact]
    public void StartWithTheCodeOfAnOpenQuestionShowsThePromptAndMakesItCurrent()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, code: "Q7kP2x");
        var decision = _world.Send(Fixtures.Update("message-start-with-code"));
        var text = ReplyText(decision);
        Assert.StartsWith("<b>Domanda 1</b>", text);
        Assert.Contains("Chi ha scritto questo quiz?", text);
        Assert.Contains("Invia la tua risposta come messaggio", text);
        Assert.Null(Single(decision).ReplyMarkupJson);
        Assert.Equal(q.Id, decision.Participant?.CurrentQuestionId);
    }

    [Fact]
    public void AnOpenQuestionsPromptGoesAheadOfAcknowledgementsAndOtherReplies()
    {
        var e = _world.AddEvent("en");
        var open = _world.AddQuestion(e);
        var closed = _world.AddQuestion(e, state: QuestionState.Closed);

        var prompt = Single(_world.SendText(open.Code));
        var recorded = Single(_world.SendText("42"));
        var latePrompt = Single(_world.SendText(closed.Code));
        var help = Single(_world.SendText("/help"));

        Assert.Equal(OutboxMessage.PromptPriority, prompt.Priority);
        Assert.Equal([OutboxMessage.NormalPriority, OutboxMessage.NormalPriority, OutboxMessage.NormalPriority],
            [recorded.Priority, latePrompt.Priority, help.Priority]);
        Assert.True(OutboxMessage.UrgentPriority < OutboxMessage.PromptPriority && OutboxMessage.PromptPriority < OutboxMessage.NormalPriority);
    }

    [Fact]
    public void TheCodeTypedAloneWorksLikeTheDeepLink()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.Numeric, code: "Num_42-x");
        var decision = _world.SendText("  Num_42-x ");
        Assert.Contains("Send a number", ReplyText(decision));
        Assert.Equal(q.Id, decision.Participant?.CurrentQuestionId);
    }

    [Theory]
    [InlineData("q7kP2xAbCd")]           // read off the projector; the phone made the first letter small
    [InlineData("/start Q7KP2XABCD")]
    [InlineData("ｑ７ｋｐ２ｘａｂｃｄ gio")]
    [InlineData("Q7kP2xAbCe")]           // one slip of the finger: a wrong letter
    [InlineData("q7kp2xabc")]            // the last left out, and the phone's capitals
    [InlineData("Q7kPx2AbCd")]           // two swapped
    [InlineData("Q7kP2xAbCe please")]    // and words after it
    [InlineData("/start Q7kP2xAbCe")]
    public void ACodeTypedWithOtherCapitalsOrOneSlipOfTheFingerIsStillTheCode(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains("<b>Question 2</b>", ReplyText(decision), StringComparison.Ordinal);
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
    }

    [Fact]
    public void OfTwoCodesThatDifferOnlyInCapitalsNeitherIsGuessedFromOtherCapitals()
    {
        var e = _world.AddEvent("en");
        var lower = _world.AddQuestion(e, code: "caseQ00001");
        var upper = _world.AddQuestion(e, code: "CaseQ00001");

        Assert.Equal(upper.Id, _world.SendText("CaseQ00001").Participant?.CurrentQuestionId);
        Assert.Equal(lower.Id, _world.SendText("caseQ00001").Participant?.CurrentQuestionId);
        Assert.Contains("I don't know the code <code>CASEQ00001</code>", ReplyText(_world.SendText("/start CASEQ00001")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Q7kP2x.")]
    [InlineData("«Q7kP2x»")]
    [InlineData("\"Q7kP2x!\"")]
    [InlineData("\u200FQ7kP2x")]
    [InlineData("Q7kP2x\u200B")]
    [InlineData("/start Q7kP2x.")]
    [InlineData("(Q7kP2x)")]
    [InlineData("[Q7kP2x]")]
    [InlineData("{Q7kP2x}")]
    [InlineData("<Q7kP2x>")]
    [InlineData("`Q7kP2x`")]       // Markdown marks a client did not turn into formatting
    [InlineData("**Q7kP2x**")]
    [InlineData("_Q7kP2x_")]
    [InlineData("~Q7kP2x~")]
    [InlineData("#Q7kP2x")]        // a hashtag
    [InlineData("@Q7kP2x")]
    [InlineData("/start `Q7kP2x`")]
    [InlineData("/start [Q7kP2x]")]
    public void ACodeWithAPhonesFullStopQuotesOrAnInvisibleMarkAroundItIsStillTheCode(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2x");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.StartsWith("<b>Question 2</b>", ReplyText(decision), StringComparison.Ordinal);
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
    }

    [Theory]
    [InlineData("Q7kP2 xAbCd")]
    [InlineData("Q7k P2x AbCd.")]
    [InlineData("Q7kP2x\u00A0AbCd")]
    [InlineData("/start Q7kP2 xAbCd")]
    public void ACodeTypedWithASpaceInsideIsStillTheCodeAndNotTheCurrentQuestionsAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.StartsWith("<b>Question 2</b>", ReplyText(decision));
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
        Assert.Equal("gio rossi", _world.SendText("gio rossi").Answer?.Text); // an answer with a space is still an answer
    }

    [Fact]
    public void TextTwoSlipsFromACodeIsAnAnswerLikeAnyOther()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e);
        _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        Assert.True(_world.SendText("Q7kP2xAbXY").Answer is { Text: "Q7kP2xAbXY" } answer && answer.QuestionId == first.Id);
    }

    [Theory]
    [InlineData("Ｑ７ｋＰ２ｘＡｂＣｄ")]               // a phone's IME in full-width mode
    [InlineData("Ｑ７ｋＰ２ｘＡｂＣｄ。")]
    [InlineData("Ｑ７ｋＰ２\u3000ｘＡｂＣｄ")]         // with an ideographic space slipped in
    [InlineData("Q7kＰ2xAbCd")]
    [InlineData("/start Ｑ７ｋＰ２ｘＡｂＣｄ")]
    public void ACodeTypedInFullWidthLettersAndDigitsIsStillTheCode(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.StartsWith("<b>Question 2</b>", ReplyText(decision));
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
    }

    [Theory]
    [InlineData("ｇｉｏ", true)]          // folds to "gio", a valid code shape that is no question's code: still the answer
    [InlineData("ＡＢＣ１２３", false)]
    public void FullWidthTextThatIsNoCodeIsStillTheAnswerAsTyped(string typed, bool correct)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(q.Code);

        var answer = _world.SendText(typed).Answer;

        Assert.Equal((typed, correct, q.Id), (answer?.Text, answer?.IsCorrect, answer?.QuestionId));
    }

    [Theory]
    [InlineData("/start Q7kP2xAbCd please")]
    [InlineData("/start Q7kP2xAbCd gio")]       // the answer typed after the code: not taken, it needs a message of its own
    [InlineData("/start Q7kP2xAbCd. thanks!")]
    [InlineData("/start Q7kP2xAbCd\ngio rossi")]
    public void TheDeepLinkCommandWithWordsAfterTheCodeOpensTheCodesQuestionAndRecordsNoAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        var reply = ReplyText(decision);
        Assert.StartsWith("ℹ️ I read only the code: the rest of your message was not taken as an answer.", reply);
        Assert.Contains("<b>Question 2</b>", reply);
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
        Assert.True(_world.SendText("gio").Answer is { IsCorrect: true } answer && answer.QuestionId == second.Id);
    }

    [Theory]
    [InlineData("Q7kP2xAbCd please")]
    [InlineData("Q7kP2xAbCd gio")]   // the code, then the answer: neither the current question's answer nor this one's
    [InlineData("Q7kP2xAbCd: gio")]
    [InlineData("start Q7kP2xAbCd")]     // /start without its slash
    [InlineData("codice Q7kP2xAbCd")]    // "send the code … to the bot", as the channel says
    [InlineData("code: Q7kP2xAbCd.")]
    [InlineData("please open Q7kP2xAbCe")] // with a slip of the finger, as a code alone may have
    [InlineData("/start codice Q7kP2xAbCd")]
    [InlineData("codice:Q7kP2xAbCd")]     // no space after the colon
    [InlineData("code=Q7kP2xAbCd")]
    [InlineData("codice：Q7kP2xAbCd")]     // a full-width colon
    [InlineData("код:Q7kP2xAbCd")]
    [InlineData("the code is (Q7kP2xAbCd)")]
    public void ACodeTypedWithOtherWordsOpensItsQuestionAndIsNotTheCurrentQuestionsAnswer(string typed)
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e); // scanned and not answered: what the next text answers
        var second = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(first.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        var reply = ReplyText(decision);
        Assert.StartsWith("ℹ️ I read only the code: the rest of your message was not taken as an answer.", reply);
        Assert.Contains("<b>Question 2</b>", reply);
        Assert.Equal(second.Id, decision.Participant?.CurrentQuestionId);
        Assert.Equal(second.Id, _world.SendText("gio").Answer?.QuestionId);
    }

    [Fact]
    public void ACodeTypedWithWordsAfterItWhenNoQuestionIsCurrentOpensItsQuestion()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");

        var decision = _world.SendText("Q7kP2xAbCd gio rossi");

        Assert.Contains("<b>Question 1</b>", ReplyText(decision)); // not "I'm not waiting for an answer from you"
        Assert.Equal(q.Id, decision.Participant?.CurrentQuestionId);
    }

    [Fact]
    public void WordsAfterTheCodeOfAClosedOrNotYetOpenQuestionAreNotAnAnswerEither()
    {
        var e = _world.AddEvent("it");
        var draft = _world.AddQuestion(e, state: QuestionState.Draft);
        var closed = _world.AddQuestion(e, state: QuestionState.Closed);

        var early = _world.SendText($"/start {draft.Code} gio");
        Assert.Null(early.Answer);
        Assert.StartsWith("ℹ️ Ho letto solo il codice", ReplyText(early));
        Assert.Contains("non è ancora aperta", ReplyText(early));

        var late = _world.SendText($"/start {closed.Code} gio");
        Assert.Null(late.Answer);
        Assert.StartsWith("ℹ️ Ho letto solo il codice", ReplyText(late));
        Assert.Contains("è chiusa", ReplyText(late));
        Assert.Equal(closed.Id, late.Participant?.CurrentQuestionId);
    }

    [Fact]
    public void AnUnknownFirstWordAfterStartIsStillAnUnknownCode()
    {
        var e = _world.AddEvent("en");
        _world.AddQuestion(e, code: "Q7kP2xAbCd");
        Assert.Contains("I don't know the code <code>NoSuchCode please</code>", ReplyText(_world.SendText("/start NoSuchCode please")));
    }

    [Fact]
    public void AMultipleChoicePromptHasOneButtonPerOption()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        var message = Single(_world.SendText("/start Q7kP2x"));
        Assert.Contains("<code>for (i=0;i&lt;3;i++)</code>", message.Text);
        Assert.Contains("<b>C)</b> do &lt;until&gt; &amp; co", message.Text);
        var markup = JsonSerializer.Deserialize<InlineKeyboardMarkup>(message.ReplyMarkupJson!, JsonBotAPI.Options)!;
        var buttons = markup.InlineKeyboard.SelectMany(row => row).ToList();
        Assert.Equal(["A) while", "B) for", "C) do <until> & co"], buttons.Select(b => b.Text));
        Assert.Equal(["a:Q7kP2x:0", "a:Q7kP2x:1", "a:Q7kP2x:2"], buttons.Select(b => b.CallbackData));
        Assert.Equal(q.Id, _world.Participant(ConversationWorld.Giulia)?.CurrentQuestionId);
    }

    [Fact]
    public void AnEditedQuestionGetsButtonsForItsNewOptions()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        _world.SendText("/start Q7kP2x");

        // Keyboards are kept per question: an organizer's edit (here to the very same object) must still show.
        q.Options[1] = "foreach";
        q.Options.Add("goto");
        var markup = JsonSerializer.Deserialize<InlineKeyboardMarkup>(Single(_world.SendText("/start Q7kP2x", from: 987654322, firstName: "Marco")).ReplyMarkupJson!, JsonBotAPI.Options)!;
        Assert.Equal(["A) while", "B) foreach", "C) do <until> & co", "D) goto"], markup.InlineKeyboard.SelectMany(row => row).Select(b => b.Text));
    }

    [Fact]
    public void AnEditedQuestionIsPromptedAsItNowReads()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        Assert.Contains("<b>B)</b> for", Single(_world.SendText("/start Q7kP2x")).Text);

        // Prompts are kept per question and language: every edit, to the very same object, must still show.
        q.Prompt = "Which loop runs at least once?";
        q.Options[1] = "foreach";
        q.Position = 4;
        var edited = Single(_world.SendText("/start Q7kP2x", from: 987654322, firstName: "Marco")).Text!;
        Assert.StartsWith("<b>Question 4</b>", edited);
        Assert.Contains("Which loop runs at least once?", edited);
        Assert.Contains("<b>B)</b> foreach", edited);
        Assert.DoesNotContain("for (i=0", edited);

        e.Language = "it";
        var italian = Single(_world.SendText("/start Q7kP2x", from: 987654323, firstName: "Chiara")).Text!;
        Assert.StartsWith("<b>Domanda 4</b>", italian);
        Assert.Contains("<b>B)</b> foreach", italian);
    }

    [Fact]
    public void ATimeLimitedQuestionSaysHowLongIsLeft()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, timeLimit: 90); // opened a minute ago
        Assert.Contains("⏱ 30 s left.", ReplyText(_world.SendText(q.Code)));
    }

    [Fact]
    public void ATimeLimitGivenAfterTheFirstPromptShowsInTheNext()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e); // opened a minute ago
        Assert.DoesNotContain(" left.", ReplyText(_world.SendText(q.Code)));

        q.TimeLimitSeconds = 90;
        Assert.Contains("⏱ 30 s left.", ReplyText(_world.SendText(q.Code, from: 987654322, firstName: "Marco"), "987654322"));
    }

    [Fact]
    public void OnlyATimedPromptNamesItsQuestionForTheSenderToWriteItsTimeLeftAgain()
    {
        var e = _world.AddEvent("en");
        var timed = _world.AddQuestion(e, timeLimit: 90); // opened a minute ago
        var untimed = _world.AddQuestion(e);
        var over = _world.AddQuestion(e, timeLimit: 30); // time is up, the close on its way

        var prompt = Single(_world.SendText(timed.Code));
        Assert.Equal(timed.Id, prompt.TimedQuestionId);
        Assert.EndsWith("\n⏱ 30 s left.", prompt.Text);
        Assert.Null(prompt.QuestionId); // which names channel posts only
        Assert.Null(Single(_world.SendText(untimed.Code, from: 987654322, firstName: "Marco")).TimedQuestionId);
        Assert.Null(Single(_world.SendText(over.Code, from: 987654323, firstName: "Chiara")).TimedQuestionId);
    }

    [Fact]
    public void ADraftQuestionIsNotOpenYetButBecomesTheOneTheNextTextAnswers()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, state: QuestionState.Draft);
        var decision = _world.SendText("/start " + q.Code);
        Assert.Contains("Question 1 is not open yet", ReplyText(decision));
        Assert.Contains("send your answer", ReplyText(decision));
        Assert.Equal(q.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Fact]
    public void AnAnswerTypedAfterAnEarlyScanGoesToTheScannedQuestionOnceItOpens()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e);
        var second = _world.AddQuestion(e, state: QuestionState.Draft);
        second.AcceptedAnswers = ["42"];
        _world.SendText(first.Code); // scanned, never answered
        first.Close(ConversationWorld.Now.AddSeconds(-20));

        Assert.Contains("Question 2 is not open yet", ReplyText(_world.SendText(second.Code)));
        var tooSoon = _world.SendText("42");
        Assert.Null(tooSoon.Answer);
        Assert.Contains("Question 2 is not open yet", ReplyText(tooSoon));

        second.Open(ConversationWorld.Now.AddSeconds(-5));
        var decision = _world.SendText("42");

        var answer = Assert.IsType<Answer>(decision.Answer);
        Assert.Equal((second.Id, true, false), (answer.QuestionId, answer.IsCorrect, answer.IsLate));
        Assert.Contains("Your answer to question 2 is recorded", ReplyText(decision));
    }

    [Fact]
    public void TheWrongCardScannedWhileAnotherQuestionIsOpenSaysWhichIsOpen()
    {
        var e = _world.AddEvent("en");
        var open = _world.AddQuestion(e);
        var scanned = _world.AddQuestion(e, state: QuestionState.Draft);

        var reply = ReplyText(_world.SendText("/start " + scanned.Code));

        Assert.Contains("Question 2 is not open yet: once the livestream shows it, send your answer here. Question 1 is open now", reply);
        Assert.Contains($"send its code <code>{open.Code}</code>", reply);
        Assert.Equal(scanned.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Fact]
    public void AnAnswerMeantForTheOpenQuestionAfterAnEarlyScanOfAnotherSaysWhichIsOpen()
    {
        // Question 3 scanned from the printed sheet (or in the rehearsal, before Start over); the livestream now shows question 2.
        var e = _world.AddEvent("en");
        _world.AddQuestion(e, state: QuestionState.Closed);
        var open = _world.AddQuestion(e);
        var scanned = _world.AddQuestion(e, state: QuestionState.Draft);
        _world.SendText(scanned.Code);

        var decision = _world.SendText("42");

        Assert.Null(decision.Answer);
        var reply = ReplyText(decision);
        Assert.Contains("Question 3 is not open yet, so I did not take this as an answer. Question 2 is open", reply);
        Assert.Contains($"send its code <code>{open.Code}</code>", reply);
        // Its code moves the participant on to it.
        Assert.Contains("Question 2", ReplyText(_world.SendText(open.Code)));
        Assert.Equal(open.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Fact]
    public void AClosedQuestionPointsToTheChannelAndStillTakesALateAnswer()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, state: QuestionState.Closed);
        var text = ReplyText(_world.SendText("/start " + q.Code));
        Assert.Contains("is closed: the results are on the event's channel", text);
        Assert.Contains("Chi ha scritto questo quiz?", text);
        Assert.Equal(q.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Theory]
    [InlineData("/start NoSuchCode", "<code>NoSuchCode</code>")]
    [InlineData("/start <script>&", "<code>&lt;script&gt;&amp;</code>")]
    public void AnUnknownCodeIsSaidToBeUnknown(string text, string shown)
    {
        _world.AddEvent("en");
        var reply = ReplyText(_world.SendText(text));
        Assert.Contains("I don't know the code " + shown, reply);
    }

    [Fact]
    public void AnAlreadyAnsweredQuestionIsNotShownAgain()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("gio");
        Assert.Contains("You already answered question 1", ReplyText(_world.SendText(q.Code)));
    }

    [Theory]
    [InlineData("en", "You already answered question 1")]
    [InlineData("it", "Hai già risposto alla domanda 1")]
    public void AlreadyAnsweredIsSaidWithANeutralMarkThatDoesNotReadAsRight(string language, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        Assert.False(_world.SendText("wrong").Answer!.IsCorrect);

        foreach (var again in new[] { q.Code, "gio" })
        {
            var text = ReplyText(_world.SendText(again));
            Assert.StartsWith("ℹ️ " + said, text, StringComparison.Ordinal);
            Assert.DoesNotContain("✅", text, StringComparison.Ordinal);
        }
    }

    // ---- free-text answers ----------------------------------------------------------------

    [Fact]
    public void AnAnswerIsRecordedWithTelegramsDateAndUpdateIdWithoutRevealingWhetherItIsRight()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, code: "Q7kP2x");
        _world.Send(Fixtures.Update("message-start-with-code"));
        var update = Fixtures.Update("message-text-answer");
        var decision = _world.Send(update);

        var answer = Assert.IsType<Answer>(decision.Answer);
        Assert.Equal((q.Id, ConversationWorld.Giulia, 812345003L, "  Giò!  "), (answer.QuestionId, answer.ParticipantId, answer.UpdateId, answer.Text));
        Assert.True(answer.IsCorrect);
        Assert.False(answer.IsLate);
        Assert.Null(answer.OptionIndex);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795946409), answer.AnsweredAt);
        Assert.Null(decision.Participant); // answering changes nothing in the participant row

        var right = ReplyText(decision);
        Assert.Contains("La tua risposta alla domanda 1 è registrata", right);
        _world.SendText(q.Code, from: 42);
        var wrong = ReplyText(_world.SendText("marco", from: 42), "42");
        Assert.Equal(right.Replace("  Giò!  ", "marco"), wrong);
    }

    [Fact]
    public void WithoutAMessageDateTheAnswerTimeIsWhenItWasReceived()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var decision = _world.Send(_world.TextUpdate("gio", date: DateTime.UnixEpoch), ConversationWorld.Now.AddSeconds(3));
        Assert.Equal(ConversationWorld.Now.AddSeconds(3), decision.Answer!.AnsweredAt);
    }

    [Fact]
    public void AMessageDateRoundedDownBeforeTheOpeningCountsAsTheOpening()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, state: QuestionState.Draft);
        q.Open(ConversationWorld.Now.AddMilliseconds(-400));
        _world.SendText(q.Code);
        var decision = _world.SendText("gio", date: ConversationWorld.Now.UtcDateTime.AddSeconds(-1));
        Assert.Equal(q.OpenedAt, decision.Answer!.AnsweredAt);
    }

    /// <summary>A text sent as a reply to one of the bot's messages, as Telegram delivers it: the message replied to in plain text.</summary>
    Update ReplyTo(OutboxMessage botMessage, string text, DateTime? sent = null)
    {
        var update = _world.TextUpdate(text);
        update.Message!.ReplyToMessage = new Message
        {
            Id = 100, Date = sent ?? ConversationWorld.Now.UtcDateTime.AddSeconds(-30), Chat = update.Message.Chat,
            From = new User { Id = 7000000001, IsBot = true, FirstName = "CodeQuiz", Username = "CodeQuizBot" },
            Text = System.Net.WebUtility.HtmlDecode(Regex.Replace(botMessage.Text!, "<[^>]+>", "")),
        };
        return update;
    }

    [Fact]
    public void AReplyToAnotherQuestionsPromptAnswersThatQuestionAndTheOneScannedStillWaits()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e);
        var second = _world.AddQuestion(e, QuestionKind.Numeric);
        var firstPrompt = Single(_world.SendText(first.Code));
        _world.SendText(second.Code);

        // Swiped on the first question's prompt: before, "gio" was taken as the second one's answer, and wrong.
        var reply = _world.Send(ReplyTo(firstPrompt, "gio"));

        Assert.Equal((first.Id, true), (reply.Answer!.QuestionId, reply.Answer.IsCorrect));
        Assert.Contains("question 1", ReplyText(reply), StringComparison.OrdinalIgnoreCase);
        var next = _world.SendText("3.14");
        Assert.Equal((second.Id, true), (next.Answer!.QuestionId, next.Answer.IsCorrect));
    }

    [Fact]
    public void AReplyToAClosedQuestionsPromptIsLateForItAndSpendsNoOtherChance()
    {
        var e = _world.AddEvent("it");
        var first = _world.AddQuestion(e);
        var second = _world.AddQuestion(e, QuestionKind.Numeric);
        var firstPrompt = Single(_world.SendText(first.Code));
        _world.SendText(second.Code);
        first.Close(ConversationWorld.Now.AddSeconds(-5));

        var reply = _world.Send(ReplyTo(firstPrompt, "gio"));

        Assert.Equal((first.Id, true), (reply.Answer!.QuestionId, reply.Answer.IsLate));
        Assert.Equal(second.Id, _world.SendText("3.14").Answer!.QuestionId);
    }

    [Fact]
    public void AReplyToLastWeeksPromptAnswersTheQuestionScannedNotTheFinalsQuestionOfThatNumber()
    {
        var semifinal = _world.AddEvent("en", "Code Week 2026 semifinal");
        var old = _world.AddQuestion(semifinal, state: QuestionState.Closed);
        var oldPrompt = Single(_world.SendText(old.Code));
        var final = _world.AddEvent("en");
        var first = _world.AddQuestion(final, QuestionKind.Numeric, state: QuestionState.Closed);
        var second = _world.AddQuestion(final);
        (first.Position, second.Position) = (1, 2);
        _world.SendText(second.Code);

        // Swiped on the semifinal's "Question 1", sent a week ago: the final's question 1 was never shown to them.
        var reply = _world.Send(ReplyTo(oldPrompt, "gio", ConversationWorld.Now.UtcDateTime.AddDays(-7)));

        Assert.Equal((second.Id, true, false), (reply.Answer!.QuestionId, reply.Answer.IsCorrect, reply.Answer.IsLate));
    }

    [Fact]
    public void AReplyToAPromptFromBeforeStartOverAnswersTheQuestionScanned()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e, state: QuestionState.Closed);
        var second = _world.AddQuestion(e, state: QuestionState.Closed);
        var rehearsalPrompt = Single(_world.SendText(second.Code));
        _world.StartOver(e);
        first.Open(ConversationWorld.Now.AddMinutes(-1));
        _world.SendText(first.Code);

        // Yesterday's rehearsal prompt of question 2, a draft again: "gio" is meant for question 1, open and scanned.
        var reply = _world.Send(ReplyTo(rehearsalPrompt, "gio", ConversationWorld.Now.UtcDateTime.AddDays(-1)));

        Assert.Equal(first.Id, reply.Answer!.QuestionId);
    }

    [Fact]
    public void AReplyToThePromptOfAQuestionWhoseAnswerStartsWithASlashAnswersIt()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e);
        first.AcceptedAnswers = ["/etc"];
        var second = _world.AddQuestion(e, QuestionKind.Numeric);
        var firstPrompt = Single(_world.SendText(first.Code));
        _world.SendText(second.Code);

        // Question 2 takes no answer starting with '/': "/etc" was an unknown command, and question 1 could not be answered so.
        var reply = _world.Send(ReplyTo(firstPrompt, "/etc"));

        Assert.Equal((first.Id, true), (reply.Answer!.QuestionId, reply.Answer.IsCorrect));
        Assert.Equal(second.Id, _world.SendText("3.14").Answer!.QuestionId);
    }

    [Fact]
    public void AReplyToABotMessageThatIsNoPromptAnswersTheQuestionScanned()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e);
        var second = _world.AddQuestion(e, QuestionKind.Numeric);
        _world.SendText(first.Code);
        _world.SendText(second.Code);
        var notPrompt = new OutboxMessage { ChatId = "987654321", Text = "Question 1 is closed: the results are on the event's channel." };

        Assert.Equal(second.Id, _world.Send(ReplyTo(notPrompt, "3.14")).Answer!.QuestionId);
    }

    [Fact]
    public void AnAnswerSentBeforeTheQuestionOpenedAndDeliveredOnceItWasOpenIsNotTaken()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, state: QuestionState.Draft);
        var now = ConversationWorld.Now;
        q.Open(now.AddSeconds(-60));
        _world.SendText("/help", from: 42); // live traffic: sent 2 s before it arrived

        // Typed blind 35 and 30 s before the opening; Telegram held both back while the server could not take them.
        _world.Send(_world.TextUpdate(q.Code, date: now.UtcDateTime.AddSeconds(-95)), now);
        var blind = _world.Send(_world.TextUpdate("gio", date: now.UtcDateTime.AddSeconds(-90)), now);

        Assert.Null(blind.Answer);
        Assert.Contains("You sent this before question 1 opened, so I did not take it as your answer", ReplyText(blind));
        // Its one chance is kept: the next answer counts.
        var answer = _world.SendText("gio").Answer;
        Assert.NotNull(answer);
        Assert.Equal(now.AddSeconds(-2), answer.AnsweredAt);
    }

    [Fact]
    public void AClockAheadOfTelegramsNeverTakesAnAnswerSentAfterTheOpeningForOneSentBefore()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, state: QuestionState.Draft);
        var now = ConversationWorld.Now;
        q.Open(now.AddSeconds(-60));
        // This server's clock reads 5 s ahead of Telegram's: every message seems to take 5 s or more to arrive.
        _world.Send(_world.TextUpdate(q.Code, date: now.UtcDateTime.AddSeconds(-5)), now);

        // Sent 1 s after the opening by Telegram's clock, which is 4 s before it by this one's.
        var answer = _world.Send(_world.TextUpdate("gio", date: now.UtcDateTime.AddSeconds(-64)), now.AddSeconds(-59));

        Assert.NotNull(answer.Answer);
        Assert.Equal(q.OpenedAt, answer.Answer.AnsweredAt);
    }

    [Theory]
    [InlineData("en", "Time is up for question 1 now: you can still answer to find out whether you were right")]
    [InlineData("it", "Ora il tempo per la domanda 1 è scaduto")]
    public void AnAnswerSentBeforeTheOpeningThatArrivesAfterTheTimeLimitIsNotAskedForAgainAsIfStillOpen(string language, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, state: QuestionState.Draft, timeLimit: 30);
        var now = ConversationWorld.Now;
        q.Open(now.AddSeconds(-60)); // its 30 s ran out 30 s ago; the close waits for answers sent in time
        _world.SendText(q.Code);

        var blind = _world.Send(_world.TextUpdate("gio", date: now.UtcDateTime.AddSeconds(-90)), now);

        Assert.Null(blind.Answer);
        Assert.Contains(said, ReplyText(blind));
        Assert.DoesNotContain(language == "en" ? "is open now" : "è aperta", ReplyText(blind));
    }

    [Fact]
    public void AnAnswerSentBeforeTheOpeningIsToldSoInItalian()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, state: QuestionState.Draft);
        var now = ConversationWorld.Now;
        q.Open(now.AddSeconds(-60));
        _world.SendText(q.Code);

        var blind = _world.Send(_world.TextUpdate("gio", date: now.UtcDateTime.AddSeconds(-90)), now);

        Assert.Null(blind.Answer);
        Assert.Contains("Hai inviato questo messaggio prima che si aprisse la domanda 1", ReplyText(blind));
    }

    [Fact]
    public void TextAfterTheScannedQuestionClosedSaysHowToAnswerTheOneOpenNow()
    {
        var e = _world.AddEvent("en");
        var first = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        var second = _world.AddQuestion(e, QuestionKind.Numeric, state: QuestionState.Draft, code: "N7kP2xAbCd");
        _world.SendText(first.Code);
        first.Close(ConversationWorld.Now.AddSeconds(-30));
        second.Open(ConversationWorld.Now.AddSeconds(-20));

        // Meant for question 2, which the livestream shows: still a late answer to question 1, and how to answer question 2.
        var late = _world.SendText("3.14");
        Assert.True(late.Answer is { IsLate: true } answer && answer.QuestionId == first.Id);
        var reply = ReplyText(late);
        Assert.StartsWith("❌ <b>Not quite.</b>", reply);
        Assert.EndsWith("\n\n👉 Question 2 is open now: to answer it, send its code <code>N7kP2xAbCd</code> (or scan its QR code), then your answer.", reply);

        Assert.EndsWith("Question 2 is open now: to answer it, send its code <code>N7kP2xAbCd</code> (or scan its QR code), then your answer.",
            ReplyText(_world.SendText("3.15")));

        _world.SendText(second.Code);
        _world.SendText("3.14");
        _world.SendText(first.Code);
        Assert.DoesNotContain("is open now", ReplyText(_world.SendText("gio")));
    }

    [Theory]
    [InlineData(true, "ℹ️ You already answered question 1")]
    [InlineData(false, "❌ <b>Not quite.</b>")]
    public void TextMeantForTodaysOpenQuestionAfterLastWeeksWasScannedSaysHowToAnswerIt(bool answeredLastWeek, string said)
    {
        var semifinal = _world.AddEvent("en", "Semifinal");
        var last = _world.AddQuestion(semifinal, state: QuestionState.Closed, code: "S7kP2xAbCd");
        _world.SendText(last.Code);
        if (answeredLastWeek)
            _world.SendText("gio");
        var final = _world.AddEvent("en", "Final");
        var today = _world.AddQuestion(final, QuestionKind.Numeric, code: "F7kP2xAbCd");
        today.Position = 1;

        // Typed for the question the livestream shows today, without scanning its code: not its answer, but how to give it.
        var decision = _world.SendText("3.14");

        Assert.NotEqual(today.Id, decision.Answer?.QuestionId);
        var reply = ReplyText(decision);
        Assert.StartsWith(said, reply);
        Assert.EndsWith("\n\n👉 Question 1 is open now: to answer it, send its code <code>F7kP2xAbCd</code> (or scan its QR code), then your answer.", reply);
    }

    [Fact]
    public void ASecondAnswerIsPolitelyRefused()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("marco");
        var decision = _world.SendText("gio");
        Assert.Null(decision.Answer);
        Assert.Contains("only the first answer counts", ReplyText(decision));
        Assert.False(Assert.Single(_world.Answers).IsCorrect);
    }

    [Theory]
    [InlineData("Gio", true, "🎉 <b>Right!</b>")]
    [InlineData("marco", false, "❌ <b>Not quite.</b> The right answer is <b>gio</b>.")]
    public void ALateAnswerIsStoredAsLateAndGetsRightOrWrongAtOnce(string typed, bool correct, string feedback)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, state: QuestionState.Closed);
        _world.SendText(q.Code);
        var decision = _world.SendText(typed);
        Assert.True(decision.Answer!.IsLate);
        Assert.Equal(correct, decision.Answer.IsCorrect);
        Assert.Contains(feedback, ReplyText(decision));
        Assert.Contains("does not rank", ReplyText(decision));
    }

    [Fact]
    public void ALateTypedChoiceIsToldTheRightOptionByItsLetterAsThePromptListsIt()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, state: QuestionState.Closed);
        _world.SendText(q.Code);
        var decision = _world.SendText("A");
        Assert.True(decision.Answer!.IsLate);
        Assert.Contains("The right answer is <b>B) for</b>.", ReplyText(decision));
    }

    [Fact]
    public void AnAnswerNumberedAsOnAnExamSheetIsRightAndStoredAsTyped()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var answer = _world.SendText("1) Giò").Answer;

        Assert.True(answer is { IsCorrect: true, Text: "1) Giò" }, $"«1) Giò» was recorded as {answer?.Text}, right: {answer?.IsCorrect}");
    }

    [Fact]
    public void AnAnswerSentAfterTheTimeLimitIsLateEvenBeforeTheCloseArrives()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, timeLimit: 30); // opened a minute ago, so the deadline has passed
        _world.SendText(q.Code);
        Assert.True(_world.SendText("gio").Answer!.IsLate);
    }

    [Theory]
    [InlineData("en", "gio", "🎉 <b>Right!</b> Time was already up for question 1, so this answer does not rank.")]
    [InlineData("en", "luca", "The right answer is <b>gio</b>. Time was already up for question 1, so this answer does not rank.")]
    [InlineData("it", "luca", "La risposta giusta è <b>gio</b>. Il tempo per la domanda 1 era già scaduto")]
    public void ALateAnswerToAQuestionStillOpenAfterItsTimeRanOutIsToldTimeWasUpNotThatItWasClosed(string language, string typed, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, timeLimit: 30); // time is up; the close waits a moment for answers sent in time
        _world.SendText(q.Code);

        var reply = ReplyText(_world.SendText(typed));

        Assert.Contains(said, reply, StringComparison.Ordinal);
        Assert.DoesNotContain("closed", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void ALateButtonPressWhileTheQuestionWaitsForItsCloseIsToldTimeWasUp()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, timeLimit: 30);

        var decision = _world.Send(_world.ButtonUpdate($"a:{q.Code}:2"));

        Assert.True(decision.Answer!.IsLate);
        Assert.Equal("❌ Not quite: the right answer is B) for. Time was already up, so this does not rank.", decision.Messages[0].Text);
    }

    [Fact]
    public void ScanningAQuestionWhoseTimeIsUpButNotYetClosedSaysSoAndItsAnswerIsLate()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, timeLimit: 30); // opened a minute ago: time is up, the close is on its way
        var prompt = ReplyText(_world.SendText(q.Code));
        Assert.StartsWith("⏱ Time is up for question 1", prompt);
        Assert.DoesNotContain("s left", prompt);
        Assert.True(_world.SendText("gio").Answer!.IsLate);

        var italian = _world.AddQuestion(_world.AddEvent("it"), timeLimit: 30);
        Assert.StartsWith("⏱ Il tempo per la domanda 2 è scaduto", ReplyText(_world.SendText(italian.Code)));
    }

    [Fact]
    public void UserTextIsEscapedWhenQuotedBack()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, code: "Q7kP2x");
        _world.SendText("Q7kP2x", firstName: "<b>Bob</b> & 🎉");
        var decision = _world.Send(Fixtures.Update("message-text-emoji-and-html"));
        Assert.Equal("for (i=0;i<3;i++) { print(i) } 🐍", decision.Answer!.Text);
        Assert.Contains("<i>for (i=0;i&lt;3;i++) { print(i) } 🐍</i>", ReplyText(decision));
        Assert.Equal("<b>Bob</b> & 🎉", _world.Participant(ConversationWorld.Giulia)!.FirstName);
    }

    [Fact]
    public void ADirectionOverrideAParticipantTypedStopsWhereTheirTextEndsInTheBotsReply()
    {
        _world.AddEvent("en");
        // Left open, it would show the rest of the bot's line backwards: ".niaga yrt dna knil eht ro edoc RQ eht kcehC".
        Assert.Contains("I don't know the code <code>\u202Exyz\u202C</code>. Check the QR code", ReplyText(_world.SendText("/start \u202Exyz")), StringComparison.Ordinal);
        _world.SendText("/team");
        Assert.Contains("How many people answer on this phone for <b>\u202EClasse 3B\u202C</b>, you included?", ReplyText(_world.SendText("\u202EClasse 3B")), StringComparison.Ordinal);
        // Stored closed too: the console's pages and the CSV files show it as typed, with nothing after it to turn around.
        Assert.Equal("\u202EClasse 3B\u202C", _world.Participant(ConversationWorld.Giulia)!.TeamName);
    }

    [Fact]
    public void ControlCharactersInANameATeamNameOrAnAnswerAreLeftOutAndTheRestKept()
    {
        var e = _world.AddEvent("en");
        _world.AddQuestion(e, code: "Q1ctrl");
        BotDecision Send(string text)
        {
            var update = _world.TextUpdate(text, firstName: "Giu\u0000lia\u200D");
            update.Message!.From!.LastName = "Ros\u0001si\u202E\u009F";
            return _world.Send(update);
        }

        Send("/team Classe\u0000 3B\u0007");
        Send("12");
        Send("/start Q1ctrl");
        var reply = ReplyText(Send("\u0000g\u0000io\t\u200B"));

        var giulia = _world.Participant(ConversationWorld.Giulia)!;
        // A joiner is no control: it builds emoji. The override is closed where the surname ends.
        Assert.Equal(("Giulia\u200D", "Rossi\u202E\u202C", "Classe 3B"), (giulia.FirstName, giulia.LastName, giulia.TeamName));
        Assert.Equal("gio \u200B", Assert.Single(_world.Answers).Text);
        Assert.True(_world.Answers[0].IsCorrect, reply);
    }

    [Fact]
    public void AnAnswerOfControlCharactersOnlyIsABlankMessageAndKeepsTheChance()
    {
        var e = _world.AddEvent("en");
        _world.AddQuestion(e, code: "Q1ctrl");
        _world.SendText("/start Q1ctrl");

        var blank = ReplyText(_world.SendText("\u200B"));
        var controls = ReplyText(_world.SendText("\u0000\u0001\u007F\u009F\r"));

        Assert.Equal(blank, controls);
        Assert.Contains("That message looks empty to me", controls);
        Assert.Empty(_world.Answers);
    }

    [Fact]
    public void AVeryLongAnswerIsStoredWhollyAndQuotedShortened()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        var typed = string.Concat(Enumerable.Repeat("x", 1500));
        var decision = _world.SendText(typed);
        Assert.Equal(typed, decision.Answer!.Text);
        var text = ReplyText(decision);
        Assert.Contains("…</i>", text);
        Assert.True(text.Length < 600, $"reply of {text.Length} characters");
    }

    [Fact]
    public void AnAnswerLongerThanTelegramAllowsIsKeptUpToTelegramsLimit()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var decision = _world.SendText(new string('x', 1_000_000));

        Assert.Equal(TelegramHtml.MessageMax, decision.Answer!.Text.Length);
        Assert.EndsWith("x…", decision.Answer.Text);
        Assert.Contains("…</i>", ReplyText(decision));
    }

    [Fact]
    public void NumericAnswersMustBeNumbersBeforeTheyAreRecorded()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, QuestionKind.Numeric);
        _world.SendText(q.Code);
        var slip = _world.SendText("tre virgola quattordici");
        Assert.Null(slip.Answer);
        Assert.Contains("Invia un numero", ReplyText(slip));
        var answer = _world.SendText("3,14").Answer!;
        Assert.True(answer.IsCorrect);
    }

    [Theory]
    [InlineData("3,14.")]
    [InlineData("3.14.")]
    [InlineData("3,14...")]
    public void ADecimalNumberWithAFullStopAfterItIsRecordedAsThatNumber(string typed)
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, QuestionKind.Numeric);
        _world.SendText(q.Code);

        var answer = _world.SendText(typed).Answer;

        Assert.True(answer is { IsCorrect: true }, $"«{typed}» was not taken as 3.14");
    }

    [Theory]
    [InlineData("en", "8 bits", "Please send just a number, like 42 or 3.14, with no unit or words.")]
    [InlineData("it", "8 bit", "Invia un numero e basta, come 42 o 3,14, senza unità di misura né parole.")]
    public void ANumberWithAUnitIsNotRecordedAndTheReplySaysToSendTheNumberAlone(string language, string typed, string reply)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, QuestionKind.Numeric);
        q.NumericAnswer = 8;
        _world.SendText(q.Code);

        var slip = _world.SendText(typed);

        Assert.Null(slip.Answer);
        Assert.Contains(reply, ReplyText(slip));
        Assert.True(_world.SendText("8").Answer is { IsCorrect: true });
    }

    [Fact]
    public void ATypedMultipleChoiceAnswerNamesAnOptionByLetterOrText()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);
        _world.SendText(q.Code);
        var slip = _world.SendText("z");
        Assert.Null(slip.Answer);
        Assert.Contains("send the letter of your choice (A–C)", ReplyText(slip));
        var answer = _world.SendText("b").Answer!;
        Assert.Equal((1, true), (answer.OptionIndex, answer.IsCorrect));
    }

    [Fact]
    public void AnOptionCopiedFromThePromptsListWithItsLetterIsThatOption()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);
        Assert.Contains("<b>B)</b> for", ReplyText(_world.SendText(q.Code)));

        var mixed = _world.SendText("A) for");
        Assert.Null(mixed.Answer);
        Assert.Contains("Did you mean <b>A) while</b> or <b>B) for</b>?", ReplyText(mixed));

        var answer = _world.SendText("B) for").Answer!;
        Assert.Equal((1, true), (answer.OptionIndex, answer.IsCorrect));
    }

    [Fact]
    public void ATypedLetterThatIsAlsoAnotherOptionsTextAsksWhichOneItMeans()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);
        q.Options = ["b", "a", "<c>"];
        q.CorrectOption = 1;
        _world.SendText(q.Code);

        var slip = _world.SendText("A");

        Assert.Null(slip.Answer);
        Assert.Contains("Did you mean <b>A) b</b> or <b>B) a</b>? Please tap its button. Nothing was recorded yet.", ReplyText(slip));
        var answer = _world.Send(_world.ButtonUpdate($"a:{q.Code}:1")).Answer!;
        Assert.Equal((1, true), (answer.OptionIndex, answer.IsCorrect));
    }

    // ---- buttons --------------------------------------------------------------------------

    [Fact]
    public void AButtonPressRecordsTheOptionAnswersTheCallbackAndTicksTheChoice()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        var decision = _world.Send(Fixtures.Update("callback-query-button"), ConversationWorld.Now);

        var answer = Assert.IsType<Answer>(decision.Answer);
        Assert.Equal((q.Id, 1, "for", true, false, 812345007L), (answer.QuestionId, answer.OptionIndex, answer.Text, answer.IsCorrect, answer.IsLate, answer.UpdateId));
        Assert.Equal(ConversationWorld.Now, answer.AnsweredAt);

        Assert.Equal(2, decision.Messages.Count);
        var toast = decision.Messages[0];
        Assert.Equal((OutboxMethod.AnswerCallbackQuery, OutboxPurpose.CallbackAnswer, OutboxMessage.UrgentPriority, "4382bfdwdsb323b2d9"),
            (toast.Method, toast.Purpose, toast.Priority, toast.CallbackQueryId));
        Assert.Contains("Risposta B registrata", toast.Text);

        var edit = decision.Messages[1];
        Assert.Equal((OutboxMethod.EditMessageReplyMarkup, "987654321", 17), (edit.Method, edit.ChatId, edit.MessageId));
        var buttons = JsonSerializer.Deserialize<InlineKeyboardMarkup>(edit.ReplyMarkupJson!, JsonBotAPI.Options)!.InlineKeyboard.SelectMany(r => r).ToList();
        Assert.Equal(["A) while", "📨 B) for", "C) do <until> & co"], buttons.Select(b => b.Text));
        Assert.All(buttons, b => Assert.Equal("d:Q7kP2x", b.CallbackData));
    }

    [Fact]
    public void AWrongChoiceIsMarkedAsSentNotTickedAsRight()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);

        var decision = _world.Send(_world.ButtonUpdate($"a:{q.Code}:0"));

        Assert.False(decision.Answer!.IsCorrect);
        var edit = Assert.Single(decision.Messages, m => m.Method == OutboxMethod.EditMessageReplyMarkup);
        var buttons = JsonSerializer.Deserialize<InlineKeyboardMarkup>(edit.ReplyMarkupJson!, JsonBotAPI.Options)!.InlineKeyboard.SelectMany(r => r).ToList();
        Assert.Equal(["📨 A) while", "B) for", "C) do <until> & co"], buttons.Select(b => b.Text));
        Assert.DoesNotContain(buttons, b => b.Text.Contains('✅', StringComparison.Ordinal));
    }

    [Fact]
    public void PressingAgainOnlySaysTheQuestionIsAnswered()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice);
        _world.Send(_world.ButtonUpdate($"a:{q.Code}:0"));
        foreach (var data in new[] { $"a:{q.Code}:1", $"d:{q.Code}" })
        {
            var decision = _world.Send(_world.ButtonUpdate(data));
            Assert.Null(decision.Answer);
            Assert.Equal("You already answered this question; only the first answer counts.", Single(decision).Text);
        }
        Assert.Equal(0, Assert.Single(_world.Answers).OptionIndex);
    }

    [Theory]
    [InlineData("en", "I deleted your answers as you asked", "send /start Q7kP2x or scan the question's QR code")]
    [InlineData("it", "Ho cancellato le tue risposte come hai chiesto", "invia /start Q7kP2x o inquadra il codice QR della domanda")]
    public void AfterForgetATickedButtonSaysTheAnswersWereDeletedAndHowToTakePartAgain(string language, string deleted, string howBack)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        _world.Send(_world.ButtonUpdate($"a:{q.Code}:1"));
        _world.SendText("/forget");

        var decision = _world.Send(_world.ButtonUpdate($"d:{q.Code}"));

        var toast = Single(decision);
        Assert.Equal(OutboxMethod.AnswerCallbackQuery, toast.Method);
        Assert.Contains(deleted, toast.Text);
        Assert.Contains(howBack, toast.Text);
        Assert.Null(decision.Answer);
        Assert.Null(decision.Participant); // a tap on an old message does not store the name they asked to delete
        Assert.Null(_world.Participant(ConversationWorld.Giulia));

        // Taking part again is a fresh start: the prompt, then a first answer.
        Assert.Contains("Quale ciclo stampa 3 volte?", ReplyText(_world.SendText("/start Q7kP2x")));
        Assert.Equal(0, _world.Send(_world.ButtonUpdate($"a:{q.Code}:0")).Answer?.OptionIndex);
    }

    [Fact]
    public void AfterForgetSomeoneLeftOutIsToldTheSameAndKeepsOnlyTheMark()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        _world.Send(_world.ButtonUpdate($"a:{q.Code}:1"));
        _world.Participant(ConversationWorld.Giulia)!.LeftOutAt = ConversationWorld.Now;
        _world.SendText("/forget");

        var decision = _world.Send(_world.ButtonUpdate($"d:{q.Code}"));

        Assert.Contains("I deleted your answers as you asked", Single(decision).Text);
        Assert.Null(decision.Participant);
        Assert.Equal(("", ConversationWorld.Now), (_world.Participant(ConversationWorld.Giulia)!.FirstName, _world.Participant(ConversationWorld.Giulia)!.LeftOutAt));
    }

    [Theory]
    [InlineData("a:NoSuchCode:0")]     // a deleted question's button
    [InlineData("a:Q7kP2x:9")]         // a button of options since edited away
    [InlineData("something else")]
    [InlineData("a:Draft1x:0")]        // a question put back to draft
    [InlineData("d:NoSuchCode")]       // the ticked keyboard of a deleted question
    [InlineData("d:Draft1x")]
    public void AfterForgetAnOldButtonThatRecordsNothingDoesNotStoreTheNameAgain(string data)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Draft1x", state: QuestionState.Draft);
        _world.Send(_world.ButtonUpdate($"a:{q.Code}:1"));
        _world.SendText("/forget");

        var decision = _world.Send(_world.ButtonUpdate(data));

        Assert.Equal(OutboxMethod.AnswerCallbackQuery, Single(decision).Method);
        Assert.Null(decision.Answer);
        Assert.Null(decision.Participant);
        Assert.Null(_world.Participant(ConversationWorld.Giulia));
        Assert.Equal(1, _world.Send(_world.ButtonUpdate($"a:{q.Code}:1")).Answer?.OptionIndex); // a button that records does store them
        Assert.NotNull(_world.Participant(ConversationWorld.Giulia));
    }

    [Fact]
    public void ATickedButtonWhoseAnswerAStartOverDeletedSaysSoAndNotThatItIsAnswered()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Q7kP2x");
        _world.Send(_world.ButtonUpdate($"a:{q.Code}:1"));
        q.Close(ConversationWorld.Now);
        _world.StartOver(e);

        Assert.Equal("This question is not open yet.", Single(_world.Send(_world.ButtonUpdate($"d:{q.Code}"))).Text);
        q.Open(ConversationWorld.Now);
        var decision = _world.Send(_world.ButtonUpdate($"d:{q.Code}"));

        Assert.Equal("Your answer to this question was deleted, so this button no longer counts. To answer again, send /start Q7kP2x or scan the question's QR code.",
            Single(decision).Text);
        Assert.Null(decision.Answer);
        Assert.NotNull(_world.Participant(ConversationWorld.Giulia));
    }

    [Theory]
    [InlineData("a:NoSuchCode:0")]
    [InlineData("a:Code1x:9")]
    [InlineData("a:Code1x:-1")]
    [InlineData("a:Code1x")]
    [InlineData("something else")]
    [InlineData("")]
    public void AStaleOrForeignButtonGetsAnExplainingToast(string data)
    {
        var e = _world.AddEvent("en");
        _world.AddQuestion(e, QuestionKind.MultipleChoice, code: "Code1x");
        var decision = _world.Send(_world.ButtonUpdate(data));
        Assert.Null(decision.Answer);
        var toast = Single(decision);
        Assert.Equal(OutboxMethod.AnswerCallbackQuery, toast.Method);
        Assert.Contains("no longer valid", toast.Text);
    }

    [Fact]
    public void AButtonOfAQuestionNotOpenYetRecordsNothing()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, state: QuestionState.Draft);
        var decision = _world.Send(_world.ButtonUpdate($"a:{q.Code}:1"));
        Assert.Null(decision.Answer);
        Assert.Equal("This question is not open yet.", Single(decision).Text);
    }

    [Fact]
    public void ALateButtonPressSaysAtOnceWhetherItWasRight()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, state: QuestionState.Closed);
        var decision = _world.Send(_world.ButtonUpdate($"a:{q.Code}:2"));
        Assert.True(decision.Answer!.IsLate);
        Assert.False(decision.Answer.IsCorrect);
        Assert.Contains("the right answer is B) for", decision.Messages[0].Text);
    }

    [Fact]
    public void ALateButtonPressQuotesARightToLeftOptionWithoutTurningTheRestOfTheToast()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, state: QuestionState.Closed);
        q.Options = ["while", "\u202Erof", "do"]; // an organizer's right-to-left override, left open

        var toast = _world.Send(_world.ButtonUpdate($"a:{q.Code}:2")).Messages[0];

        Assert.Equal(OutboxMethod.AnswerCallbackQuery, toast.Method);
        Assert.Contains("the right answer is B) \u202Erof\u202C. The question was already closed", toast.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/start\u200BQ7kP2x")]        // a zero-width space where the space was
    [InlineData("/start\u2060Q7kP2x")]        // a word joiner
    [InlineData("/start\uFEFFQ7kP2x")]        // a byte order mark
    [InlineData("/start\u00ADQ7kP2x")]        // a soft hyphen
    [InlineData("/start\u00A0Q7kP2x")]        // a non-breaking space
    [InlineData("/start\u00A0\u200BQ7kP2x")]
    [InlineData("/start@CodeQuizBot\u200BQ7kP2x")]
    [InlineData("\uFEFF/start Q7kP2x")]
    [InlineData("/start Q7kP2x\u200B")]
    [InlineData("/start Q7k\u200BP2x")]       // a web page's break opportunity inside the code
    [InlineData("Q7kP2x\u200B")]
    [InlineData("\uFEFFQ7kP2x")]
    [InlineData("\u200BQ7kP2x\u200B")]
    [InlineData("Q7k\u00ADP2x")]
    [InlineData("Q7k\u200BP2x")]
    public void ACodePastedWithInvisibleCharactersOpensItsQuestionAndIsNoAnswer(string typed)
    {
        var e = _world.AddEvent("it");
        var pasted = _world.AddQuestion(e, code: "Q7kP2x");
        var current = _world.AddQuestion(e, code: "Curr3nt");
        _world.SendText(current.Code); // a question waits for an answer: the pasted code must not become it
        var update = Fixtures.Update("message-start-with-code");
        update.Message!.Text = typed;

        var decision = _world.Send(update);

        Assert.Null(decision.Answer);
        Assert.Contains("Chi ha scritto questo quiz?", ReplyText(decision));
        Assert.Equal(pasted.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Theory]
    [InlineData("\u200BQ7kP2x gio")]
    [InlineData("\u200EQ7kP2x gio")]
    [InlineData("/start \u200EQ7kP2x gio")]
    [InlineData("/start\u200B\u200EQ7kP2x gio")]
    public void AnInvisibleCharacterBeforeACodeWithWordsAfterItKeepsTheCode(string typed)
    {
        var e = _world.AddEvent("it");
        var pasted = _world.AddQuestion(e, code: "Q7kP2x");
        var current = _world.AddQuestion(e, code: "Curr3nt");
        _world.SendText(current.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.StartsWith("ℹ️ Ho letto solo il codice", ReplyText(decision));
        Assert.Equal(pasted.Id, _world.Participant(ConversationWorld.Giulia)!.CurrentQuestionId);
    }

    [Theory]
    [InlineData("/start\u200BNoSuch1", "Non conosco il codice <code>NoSuch1</code>")]
    [InlineData("/team\u200BClasse 3B", "Quante persone rispondono da questo telefono per <b>Classe 3B</b>")]
    [InlineData("/start\u200Bregister", "Come si chiama la tua squadra")]
    [InlineData("/start \u200Eregister Classe 3B", "Quante persone rispondono da questo telefono per <b>Classe 3B</b>")]
    [InlineData("/help\u200B", "Durante la diretta ogni domanda")]
    public void ACommandFollowedByAnInvisibleCharacterIsStillTheCommand(string typed, string said)
    {
        var e = _world.AddEvent("it");
        var current = _world.AddQuestion(e, code: "Curr3nt");
        _world.SendText(current.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(said, ReplyText(decision), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(QuestionKind.FreeText, "@CodeQuizBot gio")]
    [InlineData(QuestionKind.Numeric, "@somethingbot 3,14")]
    [InlineData(QuestionKind.MultipleChoice, "@CodeQuizBot b")]
    public void AnAnswerAfterABotsUsernameIsReadWithoutItAndStoredAsTyped(QuestionKind kind, string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, kind);
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Equal((typed, true, q.Id), (decision.Answer?.Text, decision.Answer?.IsCorrect, decision.Answer?.QuestionId));
        Assert.Contains("recorded", ReplyText(decision), StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongNumberAfterABotsUsernameIsRecordedNotRefusedAsNoNumber()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e, QuestionKind.Numeric);
        _world.SendText(q.Code);

        var answer = _world.SendText("@CodeQuizBot 7").Answer;

        Assert.Equal(("@CodeQuizBot 7", false), (answer?.Text, answer?.IsCorrect));
    }

    // ---- teams ----------------------------------------------------------------------------

    [Fact]
    public void RegisteringATeamAsksForANameThenAHeadCountWithRetries()
    {
        _world.AddEvent("it");
        Assert.Contains("Come si chiama la tua squadra", ReplyText(_world.Send(Fixtures.Update("message-start-register"))));
        Assert.Equal(RegistrationStep.AwaitingTeamName, _world.Participant(ConversationWorld.Giulia)!.Registration);

        var tooShort = _world.SendText(" ab ");
        Assert.Contains("Il nome della squadra deve avere da 3 a 64 caratteri; quello ne ha 2.", ReplyText(tooShort));
        Assert.Null(tooShort.Participant);
        Assert.Contains("quello ne ha 65.", ReplyText(_world.SendText(new string('x', 65))));

        Assert.Contains("Quante persone rispondono da questo telefono per <b>&lt;3 &amp; Co</b>", ReplyText(_world.SendText("  <3   & Co ")));
        Assert.Equal(RegistrationStep.AwaitingHeadCount, _world.Participant(ConversationWorld.Giulia)!.Registration);

        foreach (var bad in new[] { "tanti", "0", "501", "-3", "2.5" })
        {
            var retry = _world.SendText(bad);
            Assert.Contains("Invia un numero da 1 a 500", ReplyText(retry));
            Assert.Null(retry.Participant);
        }

        Assert.Contains("La squadra <b>&lt;3 &amp; Co</b> è registrata: 25 persone", ReplyText(_world.SendText("25")));
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal(("<3 & Co", 25, RegistrationStep.None, 25), (p.TeamName, p.HeadCount, p.Registration, p.People));
    }

    [Theory]
    [InlineData("/start register", "en", "What is your team called?")]
    [InlineData("/start Register", "en", "What is your team called?")]
    [InlineData("/start register.", "en", "What is your team called?")]
    [InlineData("／ｓｔａｒｔ ｒｅｇｉｓｔｅｒ", "en", "What is your team called?")]
    [InlineData("/start@CodeQuizBot register", "it", "Come si chiama la tua squadra")]
    public void StartWithRegisterAloneAsksForTheTeamName(string typed, string language, string asked)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains(asked, ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.AwaitingTeamName), (p.TeamName, p.Registration));
    }

    [Theory]
    [InlineData("/start register Classe 3B", "Classe 3B")]
    [InlineData("/start Register   Classe\n3B", "Classe 3B")]
    [InlineData("/start register. Classe 3B", "Classe 3B")]
    [InlineData("/start@CodeQuizBot register <3 & Co", "<3 & Co")]
    [InlineData("／ｓｔａｒｔ ｒｅｇｉｓｔｅｒ Ｃｌａｓｓｅ ３Ｂ", "Ｃｌａｓｓｅ ３Ｂ")]
    [InlineData("／ｓｔａｒｔ\u3000ｒｅｇｉｓｔｅｒ\u3000Classe 3B", "Classe 3B")]
    [InlineData("/team Classe 3B", "Classe 3B")]
    [InlineData("/team! Classe 3B", "Classe 3B")]
    [InlineData("／ｔｅａｍ Classe 3B", "Classe 3B")]
    public void TheTeamNameTypedAfterTheCommandIsTakenAndTheHeadCountAsked(string typed, string team)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        Assert.Contains($"How many people answer on this phone for <b>{TelegramHtml.Escape(team)}</b>", ReplyText(decision), StringComparison.Ordinal);
        Assert.Equal((team, RegistrationStep.AwaitingHeadCount), (decision.Participant?.TeamName, decision.Participant?.Registration));
        Assert.Contains("is registered: 24 people", ReplyText(_world.SendText("24")));
    }

    [Theory]
    [InlineData("/start register please", "en", "What is your team called?")]
    [InlineData("/start register Please!", "en", "What is your team called?")]
    [InlineData("/team please", "en", "What is your team called?")]
    [InlineData("/team pls", "en", "What is your team called?")]
    [InlineData("/start register thank you", "en", "What is your team called?")]
    [InlineData("/start register per favore", "it", "Come si chiama la tua squadra")]
    [InlineData("/team grazie!", "it", "Come si chiama la tua squadra")]
    [InlineData("/start register ｐｌｅａｓｅ", "en", "What is your team called?")]
    public void ACourtesyAfterTheRegisterCommandIsNoTeamNameAndTheNameIsAsked(string typed, string language, string asked)
    {
        var message = Fixtures.Update("message-start-register");
        message.Message!.Text = typed;
        _world.AddEvent(language);

        var decision = _world.Send(message);

        Assert.Contains(asked, ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.AwaitingTeamName), (p.TeamName, p.Registration));
        Assert.Contains("<b>Classe 3B</b>", ReplyText(_world.SendText("Classe 3B")));
    }

    [Theory]
    [InlineData("/start register Please Stand Up", "Please Stand Up")]
    [InlineData("/team Classe 3B, grazie", "Classe 3B, grazie")]
    [InlineData("/team Grazie Mille", "Grazie Mille")]
    public void ATeamNameWithACourtesyInItIsTakenAsTypedAndShownForTheParticipantToCheck(string typed, string team)
    {
        _world.AddEvent("en");

        var decision = _world.SendText(typed);

        Assert.Contains($"How many people answer on this phone for <b>{team}</b>", ReplyText(decision), StringComparison.Ordinal);
        Assert.Equal(team, decision.Participant?.TeamName);
    }

    [Fact]
    public void ANameSentWhenTheBotAsksForItIsTakenAsTyped()
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        var decision = _world.SendText("Grazie Mille");

        Assert.Equal("Grazie Mille", decision.Participant?.TeamName);
    }

    [Theory]
    [InlineData("/start register ab", "en", "A team name needs 3 to 64 characters; that one has 2.")]
    [InlineData("/start register 🐍🐍", "en", "that one has 2.")]
    [InlineData("/start register \u3164\u3164\u3164", "en", "Characters I can see in that name: 0.")]
    [InlineData("/start register a\u200B\u200Bb", "it", "Caratteri visibili in quel nome: 2.")]
    [InlineData("/start register 👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", "en", "too many pieces")]
    public void ATeamNameTypedAfterStartRegisterIsValidatedAsTheNameStepDoes(string typed, string language, string said)
    {
        _world.AddEvent(language);

        var decision = _world.SendText(typed);

        Assert.Contains(said, ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.AwaitingTeamName), (p.TeamName, p.Registration));
        Assert.Contains("<b>Classe 3B</b>", ReplyText(_world.SendText("Classe 3B"))); // asked again, as at the name step
        Assert.Equal(RegistrationStep.AwaitingHeadCount, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    [Theory]
    [InlineData("١٢", 12)]  // Arabic-Indic
    [InlineData("۲۵", 25)]  // Persian
    [InlineData("５", 5)]   // full-width
    [InlineData("१२", 12)]  // Devanagari
    [InlineData("500", 500)]
    [InlineData("12.", 12)]
    public void AHeadCountIsReadInTheDigitsOfAnyScript(string typed, int people)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        var decision = _world.SendText(typed);
        Assert.Contains($"is registered: {people} people", ReplyText(decision));
        Assert.Equal(people, decision.Participant?.HeadCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("٠")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1e3")]
    [InlineData("５０１")]
    [InlineData("501 persone")]
    [InlineData("0 people")]
    [InlineData("99999999999999999999")]
    [InlineData("²")]
    [InlineData("Ⅻ")]
    [InlineData("-\u200B3")]
    [InlineData("5\u200B01")]
    public void AHeadCountMustBeAWholeNumberInRange(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        var decision = _world.SendText(typed);
        Assert.Contains("Please send a number from 1 to 500", ReplyText(decision));
        Assert.Null(decision.Participant);
    }

    [Theory]
    [InlineData("12 persone", 12)]
    [InlineData("12 people", 12)]
    [InlineData("siamo in 12", 12)]
    [InlineData("We are 12.", 12)]
    [InlineData("12!", 12)]
    [InlineData("12 ragazzi", 12)]
    [InlineData("siamo in ١٢!", 12)]
    [InlineData("circa 25, prof compresa", 25)]
    [InlineData("1\u200B2", 12)]            // a zero-width space, pasted
    [InlineData("siamo \u200E1\u20602\u200F persone", 12)] // direction marks and a word joiner
    [InlineData("1\u200D2 ragazzi", 12)]
    public void AHeadCountAmongWordsIsTheOneNumberInThem(string typed, int people)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        var decision = _world.SendText(typed);
        Assert.Equal($"✅ Team <b>Classe 3B</b> is registered: {people} people. Good luck!", ReplyText(decision));
        Assert.Equal((people, RegistrationStep.None), (decision.Participant?.HeadCount, decision.Participant?.Registration));
    }

    [Theory]
    [InlineData("12 o 13")]
    [InlineData("between 10 and 12")]
    [InlineData("10-12")]
    [InlineData("1.5")]
    [InlineData("-3")]
    [InlineData("siamo -3")]
    [InlineData("12.5")]
    [InlineData("3,5 persone")]
    [InlineData("siamo la 3B")]
    [InlineData("siamo in tanti")]
    [InlineData("12½")]
    [InlineData("siamo 12 + la prof")]
    [InlineData("12 + prof")]
    [InlineData("12 +")]
    [InlineData("siamo 12 più la prof")]
    [InlineData("12 piu' 1")]
    [InlineData("12 PLUS our teacher")]
    [InlineData("siamo 12,più la prof")]
    [InlineData("12 ragazzi/più la prof")]
    [InlineData("12\u00A0più la prof")]
    [InlineData("12 piu\u0300 la prof")]
    public void AHeadCountAmongWordsIsAskedAgainWithoutExactlyOneWholeNumber(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        var decision = _world.SendText(typed);
        Assert.Contains("Please send a number from 1 to 500", ReplyText(decision));
        Assert.Null(decision.Participant);
        Assert.Equal(RegistrationStep.AwaitingHeadCount, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    [Theory]
    [InlineData("Squadra 7")]
    [InlineData("squadra 7!")]
    [InlineData("Gli 11 leoni")]
    public void TheTeamNameSentAgainAtTheHeadCountStepIsNoHeadCount(string name)
    {
        _world.AddEvent("en");
        _world.SendText("/team " + name.TrimEnd('!'));

        var decision = _world.SendText(name);

        Assert.Contains("Please send a number from 1 to 500", ReplyText(decision));
        Assert.Equal((null, RegistrationStep.AwaitingHeadCount),
            (_world.Participant(ConversationWorld.Giulia)!.HeadCount, _world.Participant(ConversationWorld.Giulia)!.Registration));
    }

    [Theory]
    [InlineData("Squadra 7", "Squadra 7: siamo 12", 12)]
    [InlineData("Classe 3B", "Classe 3B, 24 persone", 24)]
    [InlineData("Team 1", "Team 12", 12)]
    [InlineData("100", "100", 100)]
    public void AHeadCountBesideTheTeamNameIsTheNumberOutsideIt(string name, string typed, int people)
    {
        _world.AddEvent("en");
        _world.SendText("/team " + name);

        _world.SendText(typed);

        Assert.Equal((people, RegistrationStep.None),
            (_world.Participant(ConversationWorld.Giulia)!.HeadCount, _world.Participant(ConversationWorld.Giulia)!.Registration));
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B", 0)]     // zero-width spaces
    [InlineData("\u3164\u3164\u3164", 0)]     // Hangul fillers, the usual trick for a blank Telegram name
    [InlineData("\u2800\u2800\u2800\u2800", 0)] // Braille blanks
    [InlineData("\u00AD\u200E\uFEFF\u0301", 0)]
    [InlineData("a\u200B\u200Bb", 2)]
    [InlineData("A\u3164\u3164", 1)]           // one letter: said without a plural that does not fit it ("only 1 characters")
    public void ATeamNameMustShowEnoughCharactersOnTheProjector(string typed, int visible)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        var decision = _world.SendText(typed);
        Assert.Contains($"Characters I can see in that name: {visible}.", ReplyText(decision), StringComparison.Ordinal);
        Assert.Contains("at least 3 letters or digits", ReplyText(decision), StringComparison.Ordinal);
        Assert.Null(decision.Participant);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.AwaitingTeamName), (p.TeamName, p.Registration));
    }

    [Theory]
    [InlineData("🐍", 1)]
    [InlineData("🐍🐍", 2)]   // four UTF-16 units, both visible: not "Characters I can see in that name: 2. The rest is …"
    [InlineData("🇮🇹", 1)]    // a flag is two symbols and shows as one
    [InlineData("a", 1)]
    public void ATooShortTeamNameIsToldItsLengthAsTheScreenShowsIt(string typed, int characters)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        var reply = ReplyText(_world.SendText(typed));
        Assert.Contains($"A team name needs 3 to 64 characters; that one has {characters}. Please try again.", reply);
        Assert.Equal(RegistrationStep.AwaitingTeamName, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    [Theory]
    [InlineData("🐍", 40)]        // 80 UTF-16 units, and 40 characters on the screen
    [InlineData("🐍", 64)]
    [InlineData("👍🏽", 64)]       // an emoji with a skin tone: four units, one character
    [InlineData("🇮🇹", 30)]
    [InlineData("x", 64)]
    public void ATeamNameIsLongAsTheScreenShowsIt(string character, int count)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        var name = string.Concat(Enumerable.Repeat(character, count));

        var decision = _world.SendText(name);

        Assert.Equal((name, RegistrationStep.AwaitingHeadCount), (decision.Participant?.TeamName, decision.Participant?.Registration));
        Assert.Contains("How many people answer on this phone for", ReplyText(decision));
    }

    [Theory]
    [InlineData("🐍", 65)]
    [InlineData("x", 65)]
    [InlineData("🇮🇹", 100)]
    public void ATooLongTeamNameIsToldItsLengthAsTheScreenShowsIt(string character, int count)
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        var decision = _world.SendText(string.Concat(Enumerable.Repeat(character, count)));

        Assert.Contains($"A team name needs 3 to 64 characters; that one has {count}. Please try again.", ReplyText(decision));
        Assert.Null(decision.Participant);
    }

    [Theory]
    [InlineData("en", "👨‍👩‍👧‍👦", 30, "made of too many pieces")]     // eleven units each: 330 in 30 characters
    [InlineData("it", "Z\u0301\u0302\u0303\u0304\u0306\u0307\u0308\u030A\u030B\u030C", 30, "fatto di troppi pezzi")]
    public void ATeamNameOfFewCharactersBuiltFromTooManyPiecesIsRefusedPolitely(string language, string character, int count, string said)
    {
        _world.AddEvent(language);
        _world.SendText("/team");

        var decision = _world.SendText(string.Concat(Enumerable.Repeat(character, count)));

        Assert.Contains(said, ReplyText(decision));
        Assert.Null(decision.Participant);
        Assert.Equal(RegistrationStep.AwaitingTeamName, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    [Theory]
    [InlineData("🐍🐍🐍")]
    [InlineData("李小龙")]
    [InlineData("Cl\u200Basse 3B")]
    [InlineData("C++")]
    public void TeamNamesOfEmojiOtherScriptsOrSymbolsAreFine(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        Assert.Equal(typed, _world.SendText(typed).Participant?.TeamName);
    }

    [Fact]
    public void AParticipantWhoseTelegramNameIsInvisibleIsNamedByTheirIdAsWhenItIsEmpty()
    {
        _world.AddEvent("en");
        var update = _world.TextUpdate("/start", firstName: "\u3164\u3164");
        update.Message!.From!.LastName = "\u200B";
        var p = _world.Send(update).Participant!;
        Assert.Equal(ConversationWorld.Giulia.ToString(System.Globalization.CultureInfo.InvariantCulture), p.FirstName);
        Assert.Equal("\u3164", _world.SendText("/help", firstName: "\u3164").Participant?.FirstName); // a visible last name shows
    }

    [Fact]
    public void TeamWithANameSkipsTheFirstQuestionAndShowsTheCurrentTeamWhenChanging()
    {
        _world.AddEvent("en");
        Assert.Contains("How many people answer on this phone for <b>Classe 3B</b>", ReplyText(_world.SendText("/team Classe 3B")));
        _world.SendText("24");
        Assert.Contains("Your team now: <b>Classe 3B</b>, 24 people.", ReplyText(_world.SendText("/team")));
    }

    [Theory]
    [InlineData("en", "I took 42 as the number of people in your team, not as your answer to question 1")]
    [InlineData("it", "Ho preso 42 come numero di persone della squadra, non come risposta alla domanda 1")]
    public void AHeadCountSentWhileAQuestionWaitsSaysItWasTakenAsTheHeadCountAndHowToAnswer(string language, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, QuestionKind.Numeric);
        _world.SendText(q.Code);
        _world.SendText("/team Classe 3B");

        var decision = _world.SendText("42");

        Assert.Null(decision.Answer);
        Assert.Equal(42, decision.Participant?.HeadCount);
        var text = ReplyText(decision);
        Assert.Contains(said, text, StringComparison.Ordinal);
        Assert.Contains("/team", text, StringComparison.Ordinal);
        var answer = _world.SendText("3,14").Answer; // the question still takes the participant's one answer
        Assert.True(answer is { IsCorrect: true } && answer.QuestionId == q.Id);
    }

    [Theory]
    [InlineData("en", "/team", "42", "A team name needs 3 to 64 characters; that one has 2.")]
    [InlineData("en", "/team", "gio", "How many people answer on this phone for <b>gio</b>")]
    [InlineData("en", "/team Classe 3B", "gio", "Please send a number from 1 to 500")]
    [InlineData("it", "/start register", "42", "quello ne ha 2.")]
    public void TextSentWhileRegisteringATeamWithAQuestionWaitingSaysItIsNoAnswerAndHowToAnswer(
        string language, string register, string typed, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e, code: "Q7kP2xAbCd");
        _world.SendText(q.Code);
        _world.SendText(register);

        var decision = _world.SendText(typed);

        Assert.Null(decision.Answer);
        var text = ReplyText(decision);
        Assert.Contains(said, text, StringComparison.Ordinal);
        Assert.Contains(language == "it"
            ? "Mentre registro la tua squadra, quello che invii non è una risposta alla domanda 1. Per rispondere, invia il suo codice <code>Q7kP2xAbCd</code>"
            : "While I register your team, what you send is not an answer to question 1. To answer it, send its code <code>Q7kP2xAbCd</code>",
            text, StringComparison.Ordinal);
        Assert.Contains("Chi ha scritto questo quiz?", ReplyText(_world.SendText("Q7kP2xAbCd")));
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId); // the one chance is still there
    }

    [Theory]
    [InlineData("42", "A team name needs 3 to 64 characters; that one has 2. Please try again.")]
    [InlineData("Classe 3B", "How many people answer on this phone for <b>Classe 3B</b>, you included? Send a number from 1 to 500 (1 if it is just you: teammates on their own phones count themselves).")]
    public void TextSentWhileRegisteringATeamWithNoQuestionWaitingSaysNothingAboutAnswering(string typed, string said)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("gio");
        _world.SendText("/team");

        Assert.Equal(said, ReplyText(_world.SendText(typed)));
    }

    [Fact]
    public void ATeamNameTypedWithTheCommandWhileAQuestionWaitsIsPlainlyAName()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        Assert.Equal("How many people answer on this phone for <b>Classe 3B</b>, you included? Send a number from 1 to 500 (1 if it is just you: teammates on their own phones count themselves).",
            ReplyText(_world.SendText("/team Classe 3B")));
    }

    [Fact]
    public void AHeadCountSentWhenNoQuestionWaitsSaysNothingAboutAnswering()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("gio");
        _world.SendText("/team Classe 3B");

        var text = ReplyText(_world.SendText("42"));

        Assert.Equal("✅ Team <b>Classe 3B</b> is registered: 42 people. Good luck!", text);
    }

    [Theory]
    [InlineData("en", "Your team now: <b>Classe 3B</b> (how many you are is not set yet).")]
    [InlineData("it", "La tua squadra ora: <b>Classe 3B</b> (quanti siete non è ancora indicato).")]
    public void ATeamWhoseHeadCountWasNeverSentIsNotSaidToBeOnePerson(string language, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText("/team Classe 3B");
        _world.SendText(q.Code); // the head count is never sent

        var text = ReplyText(_world.SendText("/team"));

        Assert.StartsWith(said + "\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "is registered: 1 person.", "Your team now: <b>Solo Team</b>, 1 person.")]
    [InlineData("it", "è registrata: 1 persona.", "La tua squadra ora: <b>Solo Team</b>, 1 persona.")]
    public void ATeamOfOneIsOnePersonNotOnePeople(string language, string registered, string current)
    {
        _world.AddEvent(language);
        _world.SendText("/team Solo Team");
        Assert.Contains(registered, ReplyText(_world.SendText("1")), StringComparison.Ordinal);
        Assert.Contains(current, ReplyText(_world.SendText("/team")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("Annulla")]
    [InlineData("STOP!")]
    [InlineData("esci.")]
    [InlineData("No")]
    [InlineData("/cancel")]
    public void AWordToLeaveSentAtTheNameStepLeavesTheRegistrationWithNoTeam(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        var decision = _world.SendText(typed);

        var text = ReplyText(decision);
        Assert.StartsWith("👌 OK, I stopped registering your team.\nNo team is registered: send /team when you want to register one.", text, StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, (int?)null, RegistrationStep.None), (p.TeamName, p.HeadCount, p.Registration));
    }

    [Theory]
    [InlineData("en", "stop", "👌 OK, I stopped registering your team.\nYour team now: <b>Classe 3B</b>, 24 people.")]
    [InlineData("it", "Annulla!", "👌 Ok, ho interrotto la registrazione della squadra.\nLa tua squadra ora: <b>Classe 3B</b>, 24 persone.")]
    public void AWordToLeaveKeepsTheTeamRegisteredBeforeAndSaysSo(string language, string typed, string said)
    {
        _world.AddEvent(language);
        _world.SendText("/team Classe 3B");
        _world.SendText("24");
        _world.SendText("/team");

        var decision = _world.SendText(typed);

        Assert.StartsWith(said, ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal(("Classe 3B", (int?)24, RegistrationStep.None), (p.TeamName, p.HeadCount, p.Registration));
    }

    [Theory]
    [InlineData("no")]
    [InlineData("esci")]
    [InlineData("Cancel.")]
    public void AWordToLeaveSentAtTheHeadCountStepLeavesTheRegistrationAndShowsTheTeam(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team Classe 3B");
        _world.SendText("24");
        _world.SendText("/team Classe 3C");

        var decision = _world.SendText(typed);

        Assert.Equal("👌 OK, I stopped registering your team.\nYour team now: <b>Classe 3C</b>, 24 people.", ReplyText(decision));
        Assert.Equal(RegistrationStep.None, _world.Participant(ConversationWorld.Giulia)!.Registration);
        Assert.Contains("How many people answer on this phone for <b>Classe 3B</b>", ReplyText(_world.SendText("/team Classe 3B")));
    }

    [Theory]
    [InlineData("no grazie")]
    [InlineData("No, thanks!")]
    [InlineData("annulla per favore")]
    [InlineData("stop please")]
    public void AWordToLeaveWithACourtesyLeavesTheRegistrationAndNamesNoTeam(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        var decision = _world.SendText(typed);

        Assert.StartsWith("👌 OK, I stopped registering your team.\nNo team is registered", ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, RegistrationStep.None), (p.TeamName, p.Registration));
    }

    [Theory]
    [InlineData("No Limits")]
    [InlineData("Stop grazie mille")]
    public void AWordToLeaveWithOtherWordsIsATeamName(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        _world.SendText(typed);

        Assert.Equal(typed, _world.Participant(ConversationWorld.Giulia)!.TeamName);
    }

    [Theory]
    [InlineData("annulla")]
    [InlineData("/cancel")]
    public void AWordToLeaveAtTheHeadCountStepOfAFirstRegistrationKeepsNoTeam(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        _world.SendText("Giulia");

        var decision = _world.SendText(typed);

        Assert.Equal("👌 OK, I stopped registering your team.\nNo team is registered: send /team when you want to register one.", ReplyText(decision));
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, (int?)null, RegistrationStep.None), (p.TeamName, p.HeadCount, p.Registration));
    }

    [Theory]
    [InlineData("annulla")]
    [InlineData("/cancel")]
    public void AWordToLeaveAtTheNameStepOfAFirstRegistrationStartedAgainKeepsNoTeam(string typed)
    {
        _world.AddEvent("en");
        _world.SendText("/team");
        _world.SendText("Giulia"); // their own name, by mistake
        _world.SendText("/team"); // to start again, before any head count

        var decision = _world.SendText(typed);

        Assert.StartsWith("👌 OK, I stopped registering your team.\nNo team is registered: send /team when you want to register one.", ReplyText(decision), StringComparison.Ordinal);
        var p = _world.Participant(ConversationWorld.Giulia)!;
        Assert.Equal((null, (int?)null, RegistrationStep.None), (p.TeamName, p.HeadCount, p.Registration));
    }

    [Theory]
    [InlineData("en", "Stop", "If your team is really called “Stop”, send <code>/team Stop</code>.")]
    [InlineData("it", "esci", "Se la squadra si chiama proprio “esci”, invia <code>/team esci</code>.")]
    public void ATeamReallyCalledLikeAWordToLeaveIsToldHowToRegisterIt(string language, string typed, string said)
    {
        _world.AddEvent(language);
        _world.SendText("/team");

        Assert.EndsWith("\n" + said, ReplyText(_world.SendText(typed)), StringComparison.Ordinal);
        _world.SendText("/team " + typed);
        Assert.Equal(typed, _world.Participant(ConversationWorld.Giulia)!.TeamName);
    }

    [Fact]
    public void AWordToLeaveTooShortForATeamNameSaysNothingAboutRegisteringItAsOne()
    {
        _world.AddEvent("en");
        _world.SendText("/team");

        Assert.DoesNotContain("/team no", ReplyText(_world.SendText("no")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("en", "Question 1 is still waiting for your answer: send it now.")]
    [InlineData("it", "La domanda 1 aspetta ancora la tua risposta: inviala ora.")]
    public void LeavingTheRegistrationWhileAScannedQuestionWaitsSaysToAnswerItNow(string language, string said)
    {
        var e = _world.AddEvent(language);
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);
        _world.SendText("/team");

        var decision = _world.SendText("annulla");

        Assert.Null(decision.Answer);
        Assert.EndsWith("\n\n" + said, ReplyText(decision), StringComparison.Ordinal);
        Assert.Equal(q.Id, _world.SendText("gio").Answer?.QuestionId);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("no")]
    public void AWordToLeaveIsAnAnswerWhenNoTeamIsBeingRegistered(string typed)
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText(q.Code);

        Assert.Equal(typed, _world.SendText(typed).Answer?.Text);
    }

    [Fact]
    public void AQuestionCodeOrACommandInterruptsTheRegistration()
    {
        var e = _world.AddEvent("en");
        var q = _world.AddQuestion(e);
        _world.SendText("/team");
        var decision = _world.SendText(q.Code);
        Assert.Contains("Chi ha scritto questo quiz?", ReplyText(decision));
        Assert.Equal((RegistrationStep.None, (int?)q.Id), (decision.Participant!.Registration, decision.Participant.CurrentQuestionId));
        _world.SendText("/team");
        _world.SendText("/help");
        Assert.Equal(RegistrationStep.None, _world.Participant(ConversationWorld.Giulia)!.Registration);
    }

    // ---- languages ------------------------------------------------------------------------

    [Fact]
    public void QuestionMessagesUseTheLanguageOfTheQuestionsEvent()
    {
        var italian = _world.AddEvent("it");
        var q = _world.AddQuestion(italian);
        _world.AddEvent("en"); // now the current event
        Assert.Contains("Domanda 1", ReplyText(_world.SendText(q.Code)));
        Assert.Contains("Scan it", ReplyText(_world.SendText("/help")));
    }

    [Fact]
    public void ALongestPromptIsShortenedSoTheWholeMessageStaysWithinTelegramsLimit()
    {
        var e = _world.AddEvent("it");
        var q = _world.AddQuestion(e, QuestionKind.MultipleChoice, state: QuestionState.Closed);
        q.Prompt = string.Concat(Enumerable.Repeat("a<b && ", 1000))[..4000];
        q.Options = [.. Enumerable.Range(0, 10).Select(i => $"{i}{new string('o', 63)}")];
        var message = Single(_world.SendText(q.Code)); // the world asserts at most 4096 visible characters
        Assert.Contains("a&lt;b &amp;&amp; ", message.Text);
        Assert.Contains("…", message.Text);
        Assert.Contains("La domanda 1 è chiusa", message.Text);
        Assert.Equal(10, JsonSerializer.Deserialize<InlineKeyboardMarkup>(message.ReplyMarkupJson!, JsonBotAPI.Options)!.InlineKeyboard.Count());
    }
}
