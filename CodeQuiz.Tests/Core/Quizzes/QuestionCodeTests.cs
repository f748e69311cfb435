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
