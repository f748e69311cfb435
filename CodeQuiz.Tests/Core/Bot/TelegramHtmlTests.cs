using CodeQuiz.Core.Bot;

namespace CodeQuiz.Tests.Core.Bot;

public class TelegramHtmlTests
{
    [Theory]
    [InlineData("<3 & Co", "&lt;3 &amp; Co")]
    [InlineData("<b>Bob</b> & 🎉", "&lt;b&gt;Bob&lt;/b&gt; &amp; 🎉")]
    [InlineData("plain", "plain")]
    [InlineData("\"quotes\" 'stay'", "\"quotes\" 'stay'")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void EscapeTurnsTheThreeSpecialCharactersIntoEntities(string? text, string escaped)
    {
        Assert.Equal(escaped, TelegramHtml.Escape(text));
    }

    [Fact]
    public void TruncateCutsWithAnEllipsisAndNeverSplitsAnEmoji()
    {
        Assert.Equal("abc", TelegramHtml.Truncate("abc", 3));
        Assert.Equal("ab…", TelegramHtml.Truncate("abcd", 3));
        var cut = TelegramHtml.Truncate("ab🐍🐍", 4); // the first snake would be split at 3
        Assert.Equal("ab…", cut);
    }

    [Theory]
    [InlineData("ab🇮🇹🇮🇹", 5, "ab…")]                   // a flag is two symbols: not half of one
    [InlineData("🇮🇹🇮🇹🇮🇹", 7, "🇮🇹…")]
    [InlineData("ab👩\u200D💻", 6, "ab…")]              // an emoji joined by a zero-width joiner: not 👩 and the joiner
    [InlineData("👍🏽👍🏽", 7, "👍🏽…")]                    // an emoji with its skin tone
    [InlineData("Noe\u0308l", 4, "No…")]                 // a letter with a combining accent: not "Noe"
    [InlineData("Noe\u0308l", 5, "Noe\u0308l")]         // it fits: as it is
    [InlineData("a\r\nb", 3, "a…")]                     // a line break of two
    [InlineData("👩\u200D💻", 3, "…")]                   // nothing whole fits before the ellipsis
    public void TruncateCutsBetweenCharactersAsTheScreenShowsThemWithinItsLimit(string text, int max, string cut)
    {
        var truncated = TelegramHtml.Truncate(text, max);
        Assert.Equal(cut, truncated); // Equal compares ordinally: a joiner or a lone accent left over is seen
        Assert.True(truncated.Length <= max, $"{truncated.Length} UTF-16 units for a limit of {max}");
    }

    [Theory]
    [InlineData("What does this print?\n```python\nprint(1 + 1)\n```", "What does this print? print(1 + 1)")]
    [InlineData("```int x = 1;```  and `y`", "int x = 1; and `y`")]
    [InlineData("Which is\r\n\tfaster?", "Which is faster?")]
    [InlineData("Name the ``` operator", "Name the operator")]
    public void PromptLineIsOneLineOfPlainTextWithoutFences(string prompt, string line)
    {
        Assert.Equal(line, TelegramHtml.PromptLine(prompt, 80));
    }

    [Theory]
    [InlineData("\tx", "    x")]
    [InlineData("ab\tc", "ab  c")]
    [InlineData("abcd\te", "abcd    e")]
    [InlineData("if x:\n\t\ty = 1", "if x:\n        y = 1")]
    [InlineData("no tab", "no tab")]
    public void ExpandTabsMakesEachTabSpacesUpToTheNextStopOfFourColumnsFromItsLinesStart(string prompt, string expanded)
    {
        Assert.Equal(expanded, TelegramHtml.ExpandTabs(prompt));
    }

    [Fact]
    public void APromptIndentedWithTabsStaysWithinTelegramsLimitOnceItsTabsAreSpaces()
    {
        // 3,607 characters, 6,007 once each tab is four spaces: cut after its tabs became spaces, not before.
        var prompt = "```\n" + string.Concat(Enumerable.Repeat("\t\tx = 1;\n", 400)) + "```";
        var text = TelegramHtml.WithPrompt("<b>Question 1</b>\n\n", prompt, "\n\n✍️ Send your answer.");
        Assert.True(TelegramHtml.VisibleLength(text) <= TelegramHtml.MessageMax, $"{TelegramHtml.VisibleLength(text)} characters");
        Assert.Contains("\n        x = 1;\n", text);
    }

    [Fact]
    public void PromptLineIsCutAfterTheFencesAreGone()
    {
        Assert.Equal("Guess t…", TelegramHtml.PromptLine("```\nGuess the output of this long line\n```", 8));
    }

    [Fact]
    public void QuoteShortensBeforeEscapingSoNoEntityIsCutInHalf()
    {
        Assert.Equal("&lt;&lt;…", TelegramHtml.Quote("<<<<<<", 3));
    }

    [Theory]
    [InlineData("\u202Egnp.exe", "\u202Egnp.exe\u202C")]                    // a right-to-left override left open
    [InlineData("\u202Bטיים\u202C team", "\u202Bטיים\u202C team")]           // an embedding its author closed: as typed
    [InlineData("\u2067abc", "\u2067abc\u2069")]                              // an isolate
    [InlineData("\u2067a\u202Eb", "\u2067a\u202Eb\u202C\u2069")]             // innermost first
    [InlineData("\u202Ea\u2069b", "\u202Ea\u2069b\u202C")]                   // a closer with nothing of its kind open
    [InlineData("\u202Ea\nb", "\u202Ea\nb")]                                 // a line break ends it already
    [InlineData("مرحبا 12 <", "مرحبا 12 &lt;")]                                 // right-to-left letters need nothing
    public void QuoteClosesTheDirectionOverridesAndIsolatesItsTextLeavesOpen(string text, string quoted)
    {
        Assert.Equal(quoted, TelegramHtml.Quote(text));
    }

    [Theory]
    [InlineData("What is 1 < 2 & 3?", "What is 1 &lt; 2 &amp; 3?")]
    [InlineData("Run `x<y`, then", "Run <code>x&lt;y</code>, then")]
    [InlineData("```python\nprint('<hi>')\n```", "<pre>print('&lt;hi&gt;')</pre>")]
    [InlineData("a lone ` backtick", "a lone ` backtick")]
    [InlineData("``", "``")]
    [InlineData("```unclosed", "```unclosed")]
    public void PromptsShowBackticksAsCodeAndEscapeEverythingElse(string prompt, string html)
    {
        Assert.Equal(html, TelegramHtml.Prompt(prompt));
    }

    [Theory]
    [InlineData("What prints?\n```for(i=0;i<3;i++)\n  print(i)\n```", "What prints?\n<pre>for(i=0;i&lt;3;i++)\n  print(i)</pre>")]
    [InlineData("```x=1;\ny=2;```", "<pre>x=1;\ny=2;</pre>")]
    [InlineData("```c++\nint x;\n```", "<pre>int x;</pre>")]
    public void AFencedBlockWhoseFirstLineIsCodeShowsThatLineRatherThanTakingItForALanguage(string prompt, string html)
    {
        Assert.Equal(html, TelegramHtml.Prompt(prompt));
    }

    [Theory]
    [InlineData("plain", 5)]
    [InlineData("<b>bold</b> &amp; <i>x</i>", 8)]
    [InlineData("&lt;3", 2)]
    [InlineData("🐍", 2)]
    public void VisibleLengthCountsWhatTelegramCounts(string html, int length)
    {
        Assert.Equal(length, TelegramHtml.VisibleLength(html));
    }
}
