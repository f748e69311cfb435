using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;

namespace CodeQuiz.Tests.Core.Bot;

public class ChannelPostsTests
{
    static readonly QuizEvent English = new() { Name = "Code Week", Language = "en" };
    static readonly QuizEvent Italian = new() { Name = "Code Week", Language = "it" };

    static Question Question(int? timeLimit = 60) => new()
    {
        Position = 4, Code = "Q7kP2x", Prompt = "Quale ciclo stampa 3 volte?\n```\nfor (i=0;i<3;i++) print(i)\n```",
        Kind = QuestionKind.MultipleChoice, Options = ["while", "for & co"], CorrectOption = 1, TimeLimitSeconds = timeLimit,
    };

    static void AssertHtml(string html) => ConversationWorld.AssertTelegramHtml(new OutboxMessage { ChatId = "@c", Text = html });

    [Fact]
    public void TheAnnouncementHasTheNumberPromptDeepLinkCodeAndTimeLimit()
    {
        var text = ChannelPosts.Announcement(English, Question(), "@CodeQuizBot");
        AssertHtml(text);
        Assert.StartsWith("❓ <b>Question 4</b>", text);
        Assert.Contains("<pre>for (i=0;i&lt;3;i++) print(i)</pre>", text);
        Assert.Contains("<b>B)</b> for &amp; co", text);
        Assert.Contains("https://t.me/CodeQuizBot?start=Q7kP2x", text);
        Assert.Contains("<code>Q7kP2x</code>", text);
        Assert.Contains("⏱ Time limit: 60 s", text);
    }

    [Fact]
    public void WhileTheBotsNameIsUnknownTheAnnouncementHasNoLinkOnlyTheCode()
    {
        // Telegram did not answer getMe yet and Telegram:BotUsername is empty: a guessed name could be another bot's.
        var text = ChannelPosts.Announcement(English, Question(), botUsername: null);
        AssertHtml(text);
        Assert.DoesNotContain("t.me/", text);
        Assert.Contains("<code>Q7kP2x</code>", text);
    }

    [Fact]
    public void AQuestionWithoutATimeLimitSaysNothingAboutTime()
    {
        Assert.DoesNotContain("⏱", ChannelPosts.Announcement(English, Question(timeLimit: null), "CodeQuizBot"));
    }

    [Fact]
    public void TheAnswerCountIsTheAnnouncementWithALiveCountLine()
    {
        var announcement = ChannelPosts.Announcement(Italian, Question(), "CodeQuizBot");
        var counted = ChannelPosts.AnswerCount(Italian, Question(), 1234, "CodeQuizBot");
        AssertHtml(counted);
        Assert.StartsWith(announcement, counted);
        Assert.EndsWith("📨 Risposte finora: <b>1234</b>", counted);
    }

    [Theory]
    [InlineData("en", "🔒 Closed · answers: <b>1234</b>")]
    [InlineData("it", "🔒 Chiusa · risposte: <b>1234</b>")]
    public void ClosedThePostKeepsItsQuestionAndFinalCountAndNoLongerInvitesAnswers(string language, string last)
    {
        var quizEvent = language == "it" ? Italian : English;
        var closed = ChannelPosts.Closed(quizEvent, Question(), 1234);
        AssertHtml(closed);
        Assert.StartsWith(ChannelPosts.Announcement(quizEvent, Question(), botUsername: null).Split("\n\n🔑")[0], closed);
        Assert.Contains("<pre>for (i=0;i&lt;3;i++) print(i)</pre>", closed);
        Assert.Contains("<b>B)</b> for &amp; co", closed);
        Assert.EndsWith(last, closed);
        Assert.DoesNotContain("t.me/", closed);
        Assert.DoesNotContain("Q7kP2x", closed);
        Assert.DoesNotContain("⏱", closed);
    }

    [Fact]
    public void WithoutTheBotsNameTheCountStillSaysHowToAnswerByCode()
    {
        var counted = ChannelPosts.AnswerCount(English, Question(), 7);
        Assert.DoesNotContain("t.me", counted);
        Assert.Contains("<code>Q7kP2x</code>", counted);
    }

    [Fact]
    public void ResultsShowTotalsPercentTheRightAnswerAndAPodiumWithEscapedNames()
    {
        var bob = Fixtures.Update("message-text-emoji-and-html").Message!.From!.FirstName;
        var results = new QuestionResults(1, QuestionState.Closed, TotalAnswers: 120, LateAnswers: 3, Participants: 120, People: 950,
            PercentCorrect: 62.5,
            Ranking: [new(1, bob, "<3 & Co", 4.25, 1), new(2, "Giulia Rossi", null, 61.5, 2), new(3, "Marco", "3B", 75, 3), new(4, "Fourth", null, 80, 4)],
            Distribution: [], Correct: 75);
        var text = ChannelPosts.Results(English, Question(), results);
        AssertHtml(text);
        Assert.Contains("🏁 <b>Question 4: results</b>", text);
        Assert.Contains("✅ Right answer: <b>B) for &amp; co</b>", text); // lettered as the announcement lists the options
        Assert.Contains("📨 Answers: <b>120</b> · participants: 120 · people: 950", text);
        Assert.Contains("🎯 Right: <b>63%</b>", text);
        Assert.Contains("🥇 &lt;b&gt;Bob&lt;/b&gt; &amp; 🎉 (&lt;3 &amp; Co) — 4.3 s", text);
        Assert.Contains("🥈 Giulia Rossi — 1:01.5", text);
        Assert.Contains("🥉 Marco (3B) — 1:15.0", text);
        Assert.DoesNotContain("Fourth", text);
    }

    [Fact]
    public void ANameThatTurnsTheTextRightToLeftDoesNotTurnTheRestOfItsPodiumLine()
    {
        // Left open, the override would show this line's team and delay backwards: "s 3.4 — )maet".
        var results = new QuestionResults(1, QuestionState.Closed, 2, 0, 2, 2, 50, [new(1, "\u202Egnp.exe", "\u202Bטיים team", 4.25, 1)], [], 1);
        var text = ChannelPosts.Results(English, Question(), results);
        AssertHtml(text);
        Assert.Contains("🥇 \u202Egnp.exe\u202C (\u202Bטיים team\u202C) — 4.3 s", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("🇮🇹", 20, 15)]                 // four UTF-16 units each: 64 leave room for 15 and the ellipsis, not half a 16th
    [InlineData("👩\u200D💻", 13, 12)]          // five each, joined: not a 13th 👩 with its joiner
    [InlineData("e\u0301", 40, 31)]             // an accented letter of two: not a bare "e"
    public void ALongNameIsCutOnThePodiumBetweenWholeCharacters(string character, int count, int shown)
    {
        var name = string.Concat(Enumerable.Repeat(character, count));
        var results = new QuestionResults(1, QuestionState.Closed, 1, 0, 1, 1, 100, [new(1, name, null, 4.25, 1)], [], 1);

        var text = ChannelPosts.Results(English, Question(), results);

        AssertHtml(text);
        Assert.Contains("🥇 " + string.Concat(Enumerable.Repeat(character, shown)) + "… — 4.3 s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsInItalianUseTheItalianNumberFormat()
    {
        var results = new QuestionResults(1, QuestionState.Closed, 2, 0, 2, 2, 50, [new(1, "Giulia", null, 3.5, 1)], [], 1);
        var text = ChannelPosts.Results(Italian, Question(), results);
        Assert.Contains("Risposta giusta", text);
        Assert.Contains("🥇 Giulia — 3,5 s", text);
    }

    [Fact]
    public void ANumericRightAnswerTakesTheLanguagesDecimalMarkAsTheDelaysDo()
    {
        var numeric = new Question { Position = 2, Code = "Q8pi", Prompt = "π?", Kind = QuestionKind.Numeric, NumericAnswer = 3.14, Tolerance = 0.01 };
        var results = new QuestionResults(1, QuestionState.Closed, 1, 0, 1, 1, 100, [new(1, "Giulia", null, 3.5, 1)], [], 1);

        Assert.Contains("3,14", ChannelPosts.Results(Italian, numeric, results));
        Assert.Contains("3.14", ChannelPosts.Results(English, numeric, results));
        Assert.Equal("3.14", numeric.CorrectAnswerText); // the console's and the API's
    }

    [Fact]
    public void ResultsWriteNumbersOneWayInEveryLanguage()
    {
        var results = new QuestionResults(1, QuestionState.Closed, TotalAnswers: 1299, LateAnswers: 0, Participants: 1024, People: 12345,
            PercentCorrect: 99.7, Ranking: [new(1, "Ada", null, 59.96, 1), new(2, "Linus", null, 119.96, 2), new(3, "Grace", null, 611.75, 3)],
            Distribution: [], Correct: 1295);

        var english = ChannelPosts.Results(English, Question(), results);
        Assert.Contains("📨 Answers: <b>1299</b> · participants: 1024 · people: 12345", english);
        Assert.Contains("🎯 Right: <b>99%</b>", english); // four wrong answers in 1299: not "100%"
        Assert.Contains("🥇 Ada — 1:00.0", english);
        Assert.Contains("🥈 Linus — 2:00.0", english);
        Assert.Contains("🥉 Grace — 10:11.8", english);

        var italian = ChannelPosts.Results(Italian, Question(), results);
        Assert.Contains("📨 Risposte: <b>1299</b> · partecipanti: 1024 · persone: 12345", italian);
        Assert.Contains("🎯 Giuste: <b>99%</b>", italian);
        Assert.Contains("🥈 Linus — 2:00,0", italian);
    }

    [Fact]
    public void TheTimeLimitIsWholeSecondsInEveryLanguage()
    {
        Assert.Contains("⏱ Time limit: 1200 s", ChannelPosts.Announcement(English, Question(timeLimit: 1200), "CodeQuizBot"));
        Assert.Contains("⏱ Tempo a disposizione: 1200 s", ChannelPosts.Announcement(Italian, Question(timeLimit: 1200), "CodeQuizBot"));
    }

    [Fact]
    public void ResultsWithNoRightAnswerSaySo()
    {
        var results = new QuestionResults(1, QuestionState.Closed, 5, 0, 5, 5, 0, [], [], 0);
        Assert.Contains("Nobody answered correctly", ChannelPosts.Results(English, Question(), results));
    }

    [Fact]
    public void ResultsWithoutAnAnswerOnTimeShowNoPercentRight()
    {
        // A question whose time ran out before anyone answered: no "Giuste: 0%", which would read as everyone wrong.
        var results = new QuestionResults(1, QuestionState.Closed, 0, 1, 0, 0, 0, [], [], 0);
        var text = ChannelPosts.Results(Italian, Question(), results);
        Assert.DoesNotContain("🎯", text);
        Assert.Contains("📨 Risposte: <b>0</b> · partecipanti: 0 · persone: 0\n\nQuesta volta nessuno ha risposto correttamente.", text);
        Assert.Contains("🎯 Right: <b>1%</b>", ChannelPosts.Results(English, Question(), new QuestionResults(1, QuestionState.Closed, 150, 0, 150, 150, 0.7, [], [], 1)));
    }

    [Fact]
    public void ALongestPromptStillLeavesRoomForTheLinkTheCodeAndTheCount()
    {
        var question = Question();
        question.Prompt = string.Concat(Enumerable.Repeat("x<y & ", 700))[..4000];
        question.Options = [.. Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 64))];
        var text = ChannelPosts.AnswerCount(English, question, 98765, "CodeQuizBot");
        AssertHtml(text);
        Assert.True(CodeQuiz.Core.Bot.TelegramHtml.VisibleLength(text) <= 4096);
        Assert.Contains("https://t.me/CodeQuizBot?start=Q7kP2x", text);
        Assert.EndsWith("<b>98765</b>", text);
    }
}
