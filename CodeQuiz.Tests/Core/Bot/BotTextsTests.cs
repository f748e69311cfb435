using System.Text.RegularExpressions;
using CodeQuiz.Core.Bot;

namespace CodeQuiz.Tests.Core.Bot;

public partial class BotTextsTests
{
    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    static string Raw(BotTexts texts, string key) => texts.Text(key);

    [Fact]
    public void EveryEnglishTextHasAnItalianTranslationWithTheSamePlaceholders()
    {
        var english = BotTexts.For("en");
        var italian = BotTexts.For("it");
        Assert.NotEmpty(english.Keys);
        foreach (var key in english.Keys)
        {
            var en = Raw(english, key);
            var it = Raw(italian, key);
            if (key != "DefaultEventName")
                Assert.True(en != it, $"{key} is not translated");
            Assert.Equal(Placeholder().Matches(en).Select(m => m.Value).Order(), Placeholder().Matches(it).Select(m => m.Value).Order());
        }
    }

    [Theory]
    [InlineData("it", "benvenuto")]
    [InlineData("it-IT", "benvenuto")]
    [InlineData("IT", "benvenuto")]
    [InlineData("en", "Welcome")]
    [InlineData("de", "Welcome")]
    [InlineData("not a language!", "Welcome")]
    [InlineData(null, "Welcome")]
    [InlineData("", "Welcome")]
    public void TextsFollowTheEventsLanguageWithEnglishAsTheFallback(string? language, string greeting)
    {
        Assert.Contains(greeting, BotTexts.For(language).Welcome("Code Week"));
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("it", true)]
    [InlineData("it-CH", true)]
    [InlineData("de", false)]
    [InlineData("", false)]
    public void OnlyLanguagesWithAResourceFileAreSupported(string language, bool supported)
    {
        Assert.Equal(supported, BotTexts.IsSupported(language));
    }

    [Fact]
    public void TheItalianHeadCountQuestionCountsWhoeverAsksWithoutAssumingTheyAreAMan()
    {
        // Often a teacher registering her class: "te compreso" would be "te compresa" for her. "Contando anche te" fits anyone,
        // and the retry no longer says "with you, you included" in one breath.
        var italian = BotTexts.For("it");
        Assert.Equal("Quante persone rispondono da questo telefono per <b>3B</b>, contando anche te? Invia un numero da 1 a 500 (1 se rispondi solo tu: chi della squadra ha il suo telefono conta per sé).", italian.TeamAskHeadCount("3B", 1, 500));
        Assert.Equal("Invia un numero da 1 a 500: quante persone rispondono da questo telefono, contando anche te.", italian.TeamHeadCountInvalid(1, 500));
    }

    [Fact]
    public void StringArgumentsAreEscaped()
    {
        Assert.Equal("✅ Team <b>&lt;3 &amp; Co</b> is registered: 12 people. Good luck!", BotTexts.Default.TeamRegistered("<3 & Co", 12));
    }
}
