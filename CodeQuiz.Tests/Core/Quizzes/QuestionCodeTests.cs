using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class QuestionCodeTests
{
    [Fact]
    public void NewCodesAreDeepLinkSafeShortAndDistinctOverAHundredThousandDraws()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100_000; i++)
        {
            var code = Tokens.NewQuestionCode();
            Assert.True(code.Length is > 0 and <= 16, code);
            Assert.True(Tokens.IsValidQuestionCode(code), code);
            Assert.True(seen.Add(code), $"{code} was drawn twice");
        }
    }

    [Fact]
    public void NewCodesHaveNoLookAlikeCharactersForWhoTypesThemFromTheScreen()
    {
        var used = new HashSet<char>();
        for (var i = 0; i < 10_000; i++)
            used.UnionWith(Tokens.NewQuestionCode());
        Assert.Empty(used.Intersect("0Oo1lI"));
        Assert.Equal(56, used.Count); // every other letter and digit is used: about 58 bits in ten characters
    }

    [Theory]
    [InlineData("Q7kP2x", true)]
    [InlineData("a-b_c", true)]
    [InlineData("0123456789abcdef", true)]
    [InlineData("0123456789abcdefg", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("with space", false)]
    [InlineData("città", false)]
    [InlineData("a+b", false)]
    [InlineData("a/b", false)]
    public void OnlyLettersDigitsUnderscoreAndDashUpToSixteenAreValidCodes(string? code, bool valid)
    {
        Assert.Equal(valid, Tokens.IsValidQuestionCode(code));
    }
}

public class QuestionOneSlipFromTests
{
    static readonly Question First = new() { Id = 1, Code = "Q7kP2xAbCd", Prompt = "?" };
    static readonly Question Second = new() { Id = 2, Code = "Zr4mT9wHe3", Prompt = "?" };
    static readonly Question Short = new() { Id = 3, Code = "Q7kP2", Prompt = "?" }; // a code of another length: never guessed at

    static int? Found(string typed) => Tokens.QuestionOneSlipFrom([First, Second, Short], typed)?.Id;

    [Theory]
    [InlineData("Q7kP2xAbCe")]   // the last character wrong
    [InlineData("X7kP2xAbCd")]   // the first
    [InlineData("q7kp2xabce")]   // and capitals aside
    [InlineData("Q7kP2xAbC")]    // the last left out
    [InlineData("7kP2xAbCd")]    // the first left out
    [InlineData("Q7kPxAbCd")]    // one in the middle
    [InlineData("Q7kP2xAbCdd")]  // one added at the end
    [InlineData("Q7kP22xAbCd")]  // or in the middle
    [InlineData("Q7kPx2AbCd")]   // two neighbours swapped
    [InlineData("Q7kP2xAbdC")]   // the last two
    public void ACodeWithOneSlipOfTheFingerFindsItsQuestion(string typed) => Assert.Equal(1, Found(typed));

    [Theory]
    [InlineData("Q7kP2xAbXY")]   // two wrong
    [InlineData("Q7kP2xA")]      // three left out
    [InlineData("Q7kP2xAbCdXY")] // two added
    [InlineData("Qk7P2xAbdC")]   // two swaps
    [InlineData("Q7kP3")]        // a short code with one wrong: short codes are no codes to guess at
    [InlineData("javascript")]   // an answer of a code's length
    [InlineData("Q7kP2xAb d")]   // not letters and digits
    public void AnythingFurtherFromACodeFindsNone(string typed) => Assert.Null(Found(typed));

    [Fact]
    public void TextAsCloseToTwoCodesFindsNeither()
    {
        var twin = new Question { Id = 4, Code = "Q7kP2xAbCf", Prompt = "?" };
        Assert.Null(Tokens.QuestionOneSlipFrom([First, twin], "Q7kP2xAbCe"));
        Assert.Null(Tokens.QuestionOneSlipFrom([First, twin], "Q7kP2xAbC"));
        Assert.Equal(1, Tokens.QuestionOneSlipFrom([First, twin], "Q7kP2xAbCdd")?.Id);
    }
}
