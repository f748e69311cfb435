using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class AnswerMatcherTests
{
    static Question FreeText(params string[] accepted) =>
        new() { Prompt = "?", Code = "FT", Kind = QuestionKind.FreeText, AcceptedAnswers = [.. accepted] };

    static Question Numeric(double answer, double? tolerance) =>
        new() { Prompt = "?", Code = "NU", Kind = QuestionKind.Numeric, NumericAnswer = answer, Tolerance = tolerance };

    static Question Choice(int correct, params string[] options) =>
        new() { Prompt = "?", Code = "MC", Kind = QuestionKind.MultipleChoice, Options = [.. options], CorrectOption = correct };

    [Theory]
    // Italian
    [InlineData("gio", "  Giò! ", true)]
    [InlineData("Giò", "GIO", true)]
    [InlineData("perché", "perche?", true)]
    [InlineData("città", "Citta.", true)]
    [InlineData("l'ora", "L’ora", true)]
    [InlineData("Più o meno", "piu   o\tmeno", true)]
    [InlineData("gio", "già", false)]
    // German
    [InlineData("Straße", "strasse", true)]
    [InlineData("STRASSE", "Straße", true)]
    [InlineData("Größe", "grosse", true)]
    [InlineData("Über", "uber", true)]
    [InlineData("schön", "schon", true)]
    [InlineData("Straße", "Strase", false)]
    // Nordic, Polish and friends
    [InlineData("Ærøskøbing", "aeroskobing", true)]
    [InlineData("Łódź", "lodz", true)]
    [InlineData("Œuvre", "oeuvre", true)]
    // Emoji
    [InlineData("🐍", "🐍", true)]
    [InlineData("🐍", " 🐍! ", true)]
    [InlineData("❤️", "❤", true)]
    [InlineData("👍", "👍🏽", true)]
    [InlineData("🐍", "🐘", false)]
    [InlineData("python 🐍", "Python 🐍", true)]
    // Code-ish answers keep their symbols and brackets
    [InlineData("C#", "c#", true)]
    [InlineData("C#", "C", false)]
    [InlineData("i++", "I++", true)]
    [InlineData("i++", "i", false)]
    [InlineData("[]", "[ ]", false)]
    [InlineData("[]", "[]", true)]
    [InlineData("...", "...", true)]
    [InlineData("...", "?", false)]
    [InlineData("print(x)", "print(x).", true)]
    [InlineData("hello world", "helloworld", false)]
    [InlineData("gio", "", false)]
    [InlineData("gio", "   ", false)]
    public void FreeTextIgnoresCaseAccentsWhitespaceAndSurroundingPunctuation(string accepted, string typed, bool correct)
    {
        Assert.Equal(correct, AnswerMatcher.Match(FreeText(accepted), typed).IsCorrect);
    }

    [Theory]
    // Greek capitals have no final sigma
    [InlineData("Οδυσσέας", "ΟΔΥΣΣΕΑΣ", true)]
    [InlineData("ΟΔΥΣΣΕΑΣ", "Οδυσσέας", true)]
    [InlineData("Οδυσσέας", "Οδυσσεα", false)]
    // Full-width forms from a CJK keyboard
    [InlineData("gio", "ｇｉｏ", true)]
    [InlineData("C#", "Ｃ＃", true)]
    [InlineData("x = 42", "ｘ　＝　４２", true)]
    [InlineData("ﬁle", "file", true)]
    // Invisible format characters pasted or inserted by the phone
    [InlineData("gio", "gi\u00ADo", true)]
    [InlineData("gio", "gio\u200B", true)]
    [InlineData("gio", "\u200Egio", true)]
    [InlineData("gio", "\uFEFFgio", true)]
    [InlineData("hello world", "hello\u200Bworld", false)]
    // Smart punctuation (iOS turns -- into — and ... into …)
    [InlineData("i--", "i—", true)]
    [InlineData("--help", "—help", true)]
    [InlineData("...", "…", true)]
    [InlineData("a...b", "a…b", true)]
    [InlineData("x - 1", "x – 1", true)]
    [InlineData("x - 1", "x − 1", true)]
    [InlineData("print(\"hi\")", "print(“hi”)", true)]
    [InlineData("it's", "it’s", true)]
    // Accents still go, code-like symbols and exponents still count
    [InlineData("Perché", "ｐｅｒｃｈｅ", true)]
    [InlineData("a ≠ b", "a = b", false)]
    [InlineData("a ≠ b", "a ≠ b", true)]
    [InlineData("x ∉ S", "x ∈ S", false)]
    [InlineData("2³", "23", false)]
    [InlineData("2³", "2³", true)]
    [InlineData("i—", "i-", false)]
    public void FreeTextFoldsLookAlikesFromOtherKeyboards(string accepted, string typed, bool correct)
    {
        Assert.Equal(correct, AnswerMatcher.Match(FreeText(accepted), typed).IsCorrect);
    }

    [Theory]
    [InlineData("1) gio", true)]
    [InlineData("1)gio", true)]
    [InlineData("1. Giò", true)]
    [InlineData("1: gio", true)]
    [InlineData("1 - gio", true)]
    [InlineData("Question 1: gio", true)]
    [InlineData("domanda 1) gio!", true)]
    [InlineData("Q1: gio", true)]
    [InlineData("#1 - gio", true)]
    [InlineData("2) gio", false)]     // another question's number: the answer meant for that one
    [InlineData("1) luca", false)]
    [InlineData("1 gio", false)]      // no mark after the number
    [InlineData("1.gio", false)]      // "1.5" is an answer, so a full stop needs a space after it
    [InlineData("1) ", false)]
    [InlineData("Question 1:", false)]
    public void AFreeTextAnswerNumberedWithItsQuestionsNumberIsComparedWithoutIt(string typed, bool correct)
    {
        var question = FreeText("gio");
        question.Position = 1;
        Assert.Equal(correct, AnswerMatcher.IsCorrect(question, typed));
    }

    [Theory]
    [InlineData("@CodeQuizBot gio", true)]
    [InlineData("  @codequizbot   Giò!", true)]
    [InlineData("@CodeQuizBot: gio", true)]
    [InlineData("@CodeQuizBot, gio", true)]
    [InlineData("@CodeQuiz_2026_BOT gio", true)]
    [InlineData("@abbot gio", true)]                // five characters, the shortest username
    [InlineData("@CodeQuizBot 1) gio", true)]       // numbered too
    [InlineData("@bot gio", false)]                 // too short for a username
    [InlineData("@giulia gio", false)]              // a person, not a bot
    [InlineData("@CodeQuizBotx gio", false)]
    [InlineData("@CodeQuizBot.gio", false)]
    [InlineData("@CodeQuizBot", false)]
    [InlineData("@CodeQuizBot @CodeQuizBot gio", false)] // one mention is set aside, not two
    [InlineData("gio @CodeQuizBot", false)]
    public void AFreeTextAnswerAfterABotsUsernameIsComparedWithoutIt(string typed, bool correct)
    {
        var question = FreeText("gio");
        question.Position = 1;
        Assert.Equal(correct, AnswerMatcher.IsCorrect(question, typed));
    }

    [Theory]
    [InlineData("gio", "gio 😊", true)]
    [InlineData("gio", "😊 gio", true)]
    [InlineData("gio", "Giò!! 🎉🎉", true)]
    [InlineData("gio", "gio 👍🏽", true)]               // with a skin tone
    [InlineData("gio", "gio ❤️", true)]                // a symbol with the emoji selector
    [InlineData("gio", "gio ✅", true)]
    [InlineData("gio", "🙋‍♀️ gio 🇮🇹", true)]         // joined and flag emoji
    [InlineData("gio", "@CodeQuizBot gio 😊", true)]  // and a bot's mention
    [InlineData("gio", "gio😊", true)]
    [InlineData("gio", "gi😊o", false)]               // inside the answer it is part of it
    [InlineData("gio", "rossi 😊", false)]
    [InlineData("python 🐍", "python 🐍🐍", false)]     // an accepted answer with an emoji is compared as written
    [InlineData("python 🐍", "python", false)]
    [InlineData("gio 😊", "gio 😢", false)]
    [InlineData("🐍", "🐍🐍", false)]
    [InlineData("C", "C♯", false)]                    // symbols that may be part of an answer stay
    [InlineData("25", "25 °", false)]
    [InlineData("TM", "TM ™", false)]
    public void AnEmojiBeforeOrAfterAnAnswerThatMatchedNothingIsNoPartOfIt(string accepted, string typed, bool correct)
    {
        Assert.Equal(correct, AnswerMatcher.IsCorrect(FreeText(accepted), typed));
    }

    [Fact]
    public void AnEmojiIsSetAsideFromNumbersAndOptionsToo()
    {
        Assert.True(AnswerMatcher.IsCorrect(Numeric(42, null), "42 🎉"));
        Assert.True(AnswerMatcher.IsCorrect(Numeric(3.14, null), "🤓 3,14"));
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(Choice(1, "while", "for"), "B 👍"));
        Assert.Equal(new AnswerMatch(false, 0), AnswerMatcher.Match(Choice(1, "while", "for"), "while 🤞"));
        Assert.Equal("41", AnswerMatcher.AsRead("41 🎉"));
        Assert.Equal("42", AnswerMatcher.AsRead("@CodeQuizBot 42 🎉"));
        Assert.Equal("👍", AnswerMatcher.AsRead("👍")); // nothing else: the emoji alone, which the bot answers as a reaction
    }

    [Fact]
    public void ABotMentionIsSetAsideFromNumbersAndOptionsToo()
    {
        Assert.True(AnswerMatcher.IsCorrect(Numeric(42, null), "@somethingbot 42"));
        Assert.True(AnswerMatcher.IsCorrect(Numeric(-3, null), "@SomethingBot -3"));
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(Choice(1, "while", "for"), "@CodeQuizBot B"));
        Assert.Equal(new AnswerMatch(false, 0), AnswerMatcher.Match(Choice(1, "while", "for"), "@CodeQuizBot while"));
    }

    [Fact]
    public void AnAcceptedAnswerThatStartsWithABotsUsernameIsRightAsTyped()
    {
        var question = FreeText("@BotFather newbot", "newbot");
        Assert.True(AnswerMatcher.IsCorrect(question, "@BotFather newbot"));
        Assert.True(AnswerMatcher.IsCorrect(question, "@CodeQuizBot newbot"));
        Assert.Equal(new AnswerMatch(false, 0), AnswerMatcher.Match(Choice(1, "@CodeQuizBot for", "for"), "@CodeQuizBot for"));
    }

    [Fact]
    public void ANumberAtTheStartOfAnAnswerIsNotTakenForTheQuestionsNumberWhenItIsTheAnswer()
    {
        var question = FreeText("5", "1.5", "1) a"); // "1.5" and "1) a" are answers of their own
        question.Position = 1;
        Assert.True(AnswerMatcher.IsCorrect(question, "1.5"));
        Assert.True(AnswerMatcher.IsCorrect(question, "1) a"));
        Assert.False(AnswerMatcher.IsCorrect(question, "1.6"));
        Assert.True(AnswerMatcher.IsCorrect(question, "1. 5"));
    }

    [Fact]
    public void AnyOfSeveralAcceptedAnswersCounts()
    {
        var question = FreeText("while", "do while", "");
        Assert.True(AnswerMatcher.IsCorrect(question, "While!"));
        Assert.True(AnswerMatcher.IsCorrect(question, "DO WHILE"));
        Assert.False(AnswerMatcher.IsCorrect(question, "for"));
        Assert.False(AnswerMatcher.IsCorrect(question, ""));
    }

    [Fact]
    public void AnEditedQuestionIsMatchedAgainstItsNewAnswers()
    {
        var question = FreeText("gio");
        Assert.True(AnswerMatcher.IsCorrect(question, "Giò"));
        question.AcceptedAnswers[0] = "marco";
        Assert.False(AnswerMatcher.IsCorrect(question, "Giò"));
        Assert.True(AnswerMatcher.IsCorrect(question, "Marco"));
        question.AcceptedAnswers.Add("gio");
        Assert.True(AnswerMatcher.IsCorrect(question, "Giò"));
    }

    [Fact]
    public void LongAnswersAreComparedWholly()
    {
        var longAnswer = string.Concat(Enumerable.Repeat("àbc ", 300)).Trim();
        var question = FreeText(longAnswer);
        Assert.True(AnswerMatcher.IsCorrect(question, longAnswer.ToUpperInvariant() + "!"));
        Assert.False(AnswerMatcher.IsCorrect(question, longAnswer + "x"));
    }

    [Theory]
    [InlineData("  Giò! ", "gio")]
    [InlineData("Straße", "strasse")]
    [InlineData("«Ciao,   mondo»", "ciao, mondo")]
    [InlineData("???", "???")]
    [InlineData("🐍", "🐍")]
    public void NormalizeShowsTheComparedForm(string text, string normalized)
    {
        Assert.Equal(normalized, AnswerMatcher.Normalize(text));
    }

    [Theory]
    [InlineData(3.14, 0.0, "3,14", true)]
    [InlineData(3.14, 0.0, "3.14", true)]
    [InlineData(3.14, 0.01, "3.15", true)]
    [InlineData(3.14, 0.01, "3,13", true)]
    [InlineData(3.14, 0.01, "3.16", false)]
    [InlineData(3.14, null, "3.14!", true)]
    [InlineData(3.14, null, "3.1", false)]
    [InlineData(0.5, 0.0, ".5", true)]
    [InlineData(0.5, 0.0, "0,50", true)]
    [InlineData(-2.0, 0.0, "-2", true)]
    [InlineData(-2.0, 0.0, "−2", true)]
    [InlineData(2.0, 0.0, "+2", true)]
    [InlineData(42.0, 0.0, " 42. ", true)]
    [InlineData(3.14, 0.0, "3,14.", true)]
    [InlineData(3.14, 0.0, "3.14.", true)]
    [InlineData(1000.0, 0.0, "1.000.000.", false)]
    [InlineData(1000000.0, 0.0, "1.000.000.", true)]
    [InlineData(1000.0, 0.0, "1 000", true)]
    [InlineData(1000.0, 0.0, "1'000", true)]
    [InlineData(1000.0, 0.0, "1_000", true)]
    [InlineData(1000.0, 0.0, "1,000", true)]
    [InlineData(1000.0, 0.0, "1.000", true)]
    [InlineData(1.0, 0.0, "1,000", true)]
    [InlineData(3.141, 0.0, "3,141", true)]
    [InlineData(1234567.0, 0.0, "1,234,567", true)]
    [InlineData(1234567.0, 0.0, "1.234.567", true)]
    [InlineData(1000.5, 0.0, "1.000,5", true)]
    [InlineData(1000.5, 0.0, "1,000.5", true)]
    [InlineData(1000.0, 0.0, "1e3", true)]
    [InlineData(1000.0, 0.0, "10 00", false)]
    [InlineData(12.0, 0.0, "1,2,3", false)]
    [InlineData(12.0, 0.0, "twelve", false)]
    [InlineData(12.0, 0.0, "12 km", false)]
    [InlineData(12.0, 0.0, "", false)]
    [InlineData(12.0, 0.0, "-", false)]
    [InlineData(42.0, 0.0, "٤٢", true)]
    [InlineData(42.0, 0.0, "４２", true)]
    [InlineData(3.14, 0.0, "３，１４", true)]
    [InlineData(3.14, 0.0, "٣٫١٤", true)]
    [InlineData(1000.0, 0.0, "١٬٠٠٠", true)]
    [InlineData(-2.0, 0.0, "－２", true)]
    [InlineData(8.0, 0.0, "2³", false)]
    [InlineData(42.0, 0.0, "42\u200B", true)] // invisible characters that keyboards and copy-paste bring along
    [InlineData(42.0, 0.0, "\u200E42\u200F", true)]
    [InlineData(42.0, 0.0, "\uFEFF42", true)]
    [InlineData(42.0, 0.0, "\u206042\u2060", true)]
    [InlineData(42.0, 0.0, "\u00A042\u202F", true)]
    [InlineData(42.0, 0.0, "4\u200D2", true)]
    [InlineData(-42.0, 0.0, "\u2066-42\u2069", true)]
    [InlineData(1000.0, 0.0, "1\u202F000", true)]
    public void NumericAcceptsCommaOrPointWithinTheTolerance(double expected, double? tolerance, string typed, bool correct)
    {
        Assert.Equal(correct, AnswerMatcher.Match(Numeric(expected, tolerance), typed).IsCorrect);
    }

    [Theory]
    [InlineData("Il ciclo for", 1, true)]
    [InlineData("il CICLO for!", 1, true)]
    [InlineData("B", 1, true)]
    [InlineData("b)", 1, true)]
    [InlineData("a", 0, false)]
    [InlineData("c", 2, false)]
    [InlineData("d", null, false)]
    [InlineData("(C)", 2, false)]
    [InlineData("il ciclo while", 0, false)]
    [InlineData("il ciclo do", null, false)]
    public void MultipleChoiceAcceptsTheOptionTextOrItsLetter(string typed, int? index, bool correct)
    {
        var question = Choice(1, "Il ciclo while", "Il ciclo for", "Nessuno dei due");
        var match = AnswerMatcher.Match(question, typed);
        Assert.Equal(index, match.OptionIndex);
        Assert.Equal(correct, match.IsCorrect);
    }

    [Theory]
    [InlineData("B) Il ciclo for")]
    [InlineData("b. il ciclo for!")]
    [InlineData("(B) Il ciclo for")]
    [InlineData("B - Il ciclo for")]
    [InlineData("B — Il ciclo for")]
    [InlineData("b: il ciclo for")]
    [InlineData("B Il ciclo for")]
    public void AnOptionTypedWithItsLetterAsThePromptListsItIsThatOption(string typed)
    {
        var question = Choice(1, "Il ciclo while", "Il ciclo for", "Nessuno dei due");
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(question, typed));
    }

    [Fact]
    public void AnOptionTypedWithAnotherOptionsLetterPicksNeither()
    {
        var question = Choice(1, "Il ciclo while", "Il ciclo for", "Nessuno dei due");
        var match = AnswerMatcher.Match(question, "A) Il ciclo for");
        Assert.Equal((false, null, (0, 1)), (match.IsCorrect, match.OptionIndex, match.Ambiguity));
        Assert.Equal(new AnswerMatch(false, null), AnswerMatcher.Match(question, "B) Il ciclo do"));
        Assert.Equal(new AnswerMatch(false, null), AnswerMatcher.Match(question, "D) Il ciclo for"));
        // An option that starts with a minus keeps it.
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(Choice(1, "1", "-1"), "b) -1"));
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(Choice(1, "1", "-1"), "b -1"));
        Assert.Equal(new AnswerMatch(false, null) { Ambiguity = (1, 0) }, AnswerMatcher.Match(Choice(1, "1", "-1"), "b - 1"));
    }

    [Fact]
    public void ALetterThatIsAnotherOptionsTextPicksNeither()
    {
        var question = Choice(0, "b", "a", "c"); // button A is "b", button B is "a"
        var match = AnswerMatcher.Match(question, "A");
        Assert.Equal((false, null, (0, 1)), (match.IsCorrect, match.OptionIndex, match.Ambiguity));
        Assert.Equal((1, 0), AnswerMatcher.Match(question, " b ").Ambiguity);
        // A letter written as a label is not ambiguous, nor one that is its own option's text.
        Assert.Equal(new AnswerMatch(false, 1), AnswerMatcher.Match(question, "b)"));
        Assert.Equal(new AnswerMatch(true, 0), AnswerMatcher.Match(question, "(a)"));
        Assert.Equal(new AnswerMatch(false, 2), AnswerMatcher.Match(question, "C"));
    }

    [Fact]
    public void AnOptionNamedLikeALetterIsAmbiguousOnlyWithTheLetterOfAnotherOption()
    {
        var question = Choice(0, "C", "C++", "Java");
        Assert.Equal((2, 0), AnswerMatcher.Match(question, "c").Ambiguity);
        Assert.Equal(new AnswerMatch(false, 1), AnswerMatcher.Match(question, "C++"));
        Assert.Equal(new AnswerMatch(false, 1), AnswerMatcher.Match(question, "b"));
        Assert.Equal(new AnswerMatch(true, 0), AnswerMatcher.Match(Choice(0, "A", "B"), "a"));
    }

    [Fact]
    public void AButtonPressIsRightOnlyForTheCorrectOption()
    {
        var question = Choice(2, "🐍", "🐘", "🦀");
        Assert.Equal(new AnswerMatch(true, 2), AnswerMatcher.MatchOption(question, 2));
        Assert.Equal(new AnswerMatch(false, 0), AnswerMatcher.MatchOption(question, 0));
        Assert.Equal(new AnswerMatch(false, null), AnswerMatcher.MatchOption(question, 7));
        Assert.Equal(new AnswerMatch(true, 2), AnswerMatcher.Match(question, "🦀"));
    }

    [Fact]
    public void FullWidthLettersAndLettersPickTheSameOption()
    {
        var question = Choice(1, "Il ciclo while", "Il ciclo for", "Nessuno dei due");
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(question, "Ｂ"));
        Assert.Equal(new AnswerMatch(true, 1), AnswerMatcher.Match(question, "ｉｌ ｃｉｃｌｏ ｆｏｒ"));
    }

    [Fact]
    public void MatchingAnAsciiAnswerAllocatesNothing()
    {
        var question = FreeText("Hello world", "gio");
        AnswerMatcher.Match(question, "  hello WORLD! ");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            AnswerMatcher.Match(question, "  hello WORLD! ");
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
