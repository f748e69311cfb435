using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class SpeedPointsTests
{
    [Theory]
    [InlineData(0, null, 1000)]
    [InlineData(-500, null, 1000)]
    [InlineData(30_000, null, 750)]
    [InlineData(60_000, null, 500)]
    [InlineData(600_000, null, 500)]
    [InlineData(5_000, 10, 750)]
    [InlineData(9_999, 10, 500)]
    [InlineData(1, 10, 999)]
    public void PointsFallFromAThousandToFiveHundredOverTheTimeLimitOrAMinute(long delayMs, int? limit, int points) =>
        Assert.Equal(points, QuizResults.SpeedPoints(delayMs, limit));
}
