using System.Globalization;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class QuizFormatTests
{
    static readonly CultureInfo Italian = CultureInfo.GetCultureInfo("it");

    [Theory]
    [InlineData(0, "0")]
    [InlineData(999, "999")]
    [InlineData(1299, "1299")]
    [InlineData(98765, "98765")]
    public void CountsHaveNoGroupSeparator(int count, string shown) => Assert.Equal(shown, QuizFormat.Count(count));

    [Fact]
    public void CountsDoNotFollowTheServersCulture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1299", QuizFormat.Count(1299));
            Assert.Equal("4.2 s", QuizFormat.Delay(4.2, QuizFormat.English));
            Assert.Equal("3.5", QuizFormat.Rate(3.5));
            Assert.Equal("15.25", QuizFormat.Number(15.25, QuizFormat.English));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData(1, 2001, 0.1, "1%")] // one right in 2,001: rounded to 0.0 it read "0%" beside the winner
    [InlineData(2000, 2001, 99.9, "99%")]
    [InlineData(0, 2001, 0, "0%")]
    [InlineData(2001, 2001, 100, "100%")]
    [InlineData(2, 3, 66.7, "67%")]
    [InlineData(0, 0, 0, "0%")]
    public void AResultsPercentIsNobodyOrEverybodyOnlyWhenItIsSo(int correct, int answers, double percent, string shown)
    {
        Assert.Equal(percent, QuizFormat.PercentOf(correct, answers));
        Assert.Equal(shown, QuizFormat.Percent(QuizFormat.PercentOf(correct, answers)));
    }

    [Theory]
    [InlineData(5, 11, "45%")]  // 45.45%: one decimal first (45.5) would read "46%"
    [InlineData(6, 11, "55%")]  // 54.55%
    [InlineData(1, 8, "13%")]   // 12.5% exactly
    [InlineData(1, 2001, "1%")]
    [InlineData(2000, 2001, "99%")]
    [InlineData(0, 0, "0%")]
    public void AWholePercentIsRoundedOnceFromTheCounts(int correct, int answers, string shown) =>
        Assert.Equal(shown, QuizFormat.Percent(correct, answers));

    [Theory]
    [InlineData(81.6, "82%")]
    [InlineData(62.5, "63%")]
    [InlineData(50, "50%")]
    [InlineData(0, "0%")]
    [InlineData(100, "100%")]
    [InlineData(0.3, "1%")] // one right answer in 400 is not "nobody"
    [InlineData(99.7, "99%")] // one wrong answer in 400 is not "everybody"
    public void PercentagesAreWhole(double percent, string shown) => Assert.Equal(shown, QuizFormat.Percent(percent));

    [Theory]
    [InlineData(4.24, "4.2 s")]
    [InlineData(4.25, "4.3 s")]
    [InlineData(0, "0.0 s")]
    [InlineData(-0.4, "0.0 s")]
    [InlineData(59.94, "59.9 s")]
    [InlineData(59.96, "1:00.0")]
    [InlineData(61.4, "1:01.4")]
    [InlineData(119.96, "2:00.0")]
    [InlineData(239.5, "3:59.5")]
    [InlineData(611.75, "10:11.8")]
    public void DelaysOfAMinuteOrMoreAreMinutesAndSecondsRoundedOnce(double seconds, string shown) =>
        Assert.Equal(shown, QuizFormat.Delay(seconds, QuizFormat.English));

    [Theory]
    [InlineData(3.5, "3,5 s")]
    [InlineData(61.5, "1:01,5")]
    public void DelaysTakeTheDecimalMarkOfTheTextsLanguage(double seconds, string shown) =>
        Assert.Equal(shown, QuizFormat.Delay(seconds, Italian));

    [Theory]
    [InlineData(15.25, "15.25", "15,25")]
    [InlineData(15.0, "15", "15")] // typed "15,0" or "15.00": whole, as the organizer wrote it
    [InlineData(-0.5, "-0.5", "-0,5")]
    [InlineData(1234567.5, "1234567.5", "1234567,5")] // no group separator, as counts
    [InlineData(-0.0, "0", "0")] // typed "-0": the same group as "0"
    [InlineData(0.000025, "0.000025", "0,000025")] // written out, not "2.5E-05"
    [InlineData(123456789012345678.0, "123456789012345680", "123456789012345680")] // the digits a double holds, not "1.2345678901234568E+17"
    [InlineData(9007199254740991.0, "9007199254740991", "9007199254740991")] // JavaScript's Number.MAX_SAFE_INTEGER, exact
    [InlineData(1e-30, "1E-30", "1E-30")] // smaller than a decimal holds: not "0"
    [InlineData(double.Epsilon, "5E-324", "5E-324")] // what a code quiz may ask for: not "0"
    [InlineData(1.5e-28, "1.5E-28", "1,5E-28")] // a decimal would round it to 0.0000000000000000000000000002
    public void NumberAnswersTakeTheDecimalMarkOfTheReadersLanguageAndStayWholeWhenWhole(double value, string english, string italian)
    {
        Assert.Equal(english, QuizFormat.Number(value, QuizFormat.English));
        Assert.Equal(italian, QuizFormat.Number(value, QuizFormat.Italian));
        Assert.Equal(italian, QuizFormat.Number(value, Italian)); // the bot's culture for "it"
    }

    [Fact]
    public void ARankingWritesTwoPlacesThatDifferAsDifferent()
    {
        // 4.638 and 4.643 s both read "4.6 s" at places 1 and 2: a tie the audience sees decided by nothing.
        Assert.Equal(["4.638 s", "4.643 s", "5.1 s"], QuizFormat.Delays([4.638, 4.643, 5.1], QuizFormat.English));
        Assert.Equal(["4.61 s", "4.64 s", "4.9 s"], QuizFormat.Delays([4.61, 4.64, 4.9], QuizFormat.English));
        Assert.Equal(["1:05.32", "1:05.34"], QuizFormat.Delays([65.32, 65.34], QuizFormat.English));
        Assert.Equal(["4,638 s", "4,643 s"], QuizFormat.Delays([4.638, 4.643], Italian));
    }

    [Fact]
    public void ALeaderboardTellsApartOnlyNeighboursWithAsManyRightAnswers()
    {
        // 3 right at 12.34 s is above 2 right at 12.31 s whatever the delays: no hundredths for them.
        Assert.Equal(["12.3 s", "12.3 s", "12.6 s", "–"],
            QuizFormat.TotalDelays([(3, 12.34), (2, 12.31), (2, 12.6), (0, 0)], QuizFormat.English));
        Assert.Equal(["12.34 s", "12.31 s"], QuizFormat.Delays([12.34, 12.31], QuizFormat.English));
        // With as many right answers, the delay decides the place, and the digits show it.
        Assert.Equal(["12,31 s", "12,34 s"], QuizFormat.TotalDelays([(2, 12.31), (2, 12.34)], Italian));
    }

    [Fact]
    public void ARankingKeepsTenthsWhereTheyTellPlacesApart()
    {
        Assert.Equal(["2.1 s", "3.4 s", "3.5 s"], QuizFormat.Delays([2.1, 3.4, 3.5], QuizFormat.English));
        // Equal to the millisecond: more digits would tell nothing.
        Assert.Equal(["4.6 s", "4.6 s"], QuizFormat.Delays([4.638, 4.638], QuizFormat.English));
        // A place without a right answer is a dash, and its neighbour is not made longer by it.
        Assert.Equal(["0.1 s", "–"], QuizFormat.Delays([0.05, null], QuizFormat.English));
        Assert.Empty(QuizFormat.Delays([], QuizFormat.English));
    }

    [Fact]
    public void PlacesEqualToTheMillisecondAreWrittenAlike()
    {
        // Third and fourth took 8.228 s each: "8.2 s" below "8.228 s" would read as the faster of the two.
        Assert.Equal(["8.227 s", "8.228 s", "8.228 s", "9.0 s"], QuizFormat.Delays([8.227, 8.228, 8.228, 9.0], QuizFormat.English));
        Assert.Equal(["8.228 s", "8.228 s", "8.228 s", "8.229 s"], QuizFormat.Delays([8.228, 8.228, 8.228, 8.229], QuizFormat.English));
        Assert.Equal(["12.31 s", "12.31 s", "12.34 s"], QuizFormat.TotalDelays([(2, 12.31), (2, 12.31), (2, 12.34)], QuizFormat.English));
    }

    [Fact]
    public void AQuestionsPlacesTakeTheirDecimalsFromItsFirstTenWhateverAScreenShows()
    {
        // The 3rd is 4 ms ahead of the 4th: "6.21 s" on the projector, which shows three places, as on the console.
        double[] ranking = [5, 6, 6.214, 6.218, 9];
        Assert.Equal(["5.0 s", "6.0 s", "6.21 s", "6.22 s", "9.0 s"], QuizFormat.RankingDelays(ranking, QuizFormat.English));
        Assert.Equal([1, 1, 2, 2, 1], QuizFormat.RankingDecimals(ranking));
        // The 11th is shown nowhere, and makes the 10th no longer.
        double[] eleven = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10.001, 10.002];
        Assert.Equal("10.0 s", QuizFormat.RankingDelays(eleven, QuizFormat.English)[^1]);
        Assert.Equal(10, QuizFormat.RankingDecimals(eleven).Length);
    }

    [Fact]
    public void ALeaderboardsTotalsTakeTheirDecimalsFromItsFirstHundredWhateverAScreenShows()
    {
        (int, double)[] rows = [(2, 8.214), (2, 8.218), (1, 9), (0, 0)];
        Assert.Equal([2, 2, 1, 1], QuizFormat.TotalDecimals(rows));
        Assert.Equal(100, QuizFormat.TotalDecimals([.. Enumerable.Range(0, 101).Select(i => (1, 1.0 + i))]).Length);
    }

    [Fact]
    public void ADelayTakesHundredthsOrThousandthsWhenAsked()
    {
        Assert.Equal("4.64 s", QuizFormat.Delay(4.638, QuizFormat.English, 2));
        Assert.Equal("0.005 s", QuizFormat.Delay(0.005, QuizFormat.English, 3));
        Assert.Equal("1:00.00", QuizFormat.Delay(59.998, QuizFormat.English, 2));
    }

    [Fact]
    public void WholeSecondsAndRates()
    {
        Assert.Equal("30 s", QuizFormat.Seconds(30));
        Assert.Equal("1200 s", QuizFormat.Seconds(1200));
        Assert.Equal("3.5", QuizFormat.Rate(3.46));
        Assert.Equal("12", QuizFormat.Rate(12));
    }
}
