using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class QuestionLifecycleTests
{
    static readonly DateTimeOffset T0 = new(2026, 10, 15, 10, 0, 0, TimeSpan.Zero);

    static Question Draft() => new() { Prompt = "?", Code = "abc", Position = 3, AcceptedAnswers = ["x"], TimeLimitSeconds = 30 };

    [Fact]
    public void ADraftOpensAndThenCloses()
    {
        var question = Draft();
        question.Open(T0);
        Assert.Equal(QuestionState.Open, question.State);
        Assert.Equal(T0, question.OpenedAt);
        Assert.Equal(T0.AddSeconds(30), question.Deadline);

        question.Close(T0.AddSeconds(12));
        Assert.Equal(QuestionState.Closed, question.State);
        Assert.Equal(T0.AddSeconds(12), question.ClosedAt);
    }

    [Fact]
    public void ADraftCannotBeClosed()
    {
        var e = Assert.Throws<QuestionStateException>(() => Draft().Close(T0));
        Assert.Equal("Question 3 is a draft; only an open question can be closed.", e.Message); // not "is draft"
    }

    [Fact]
    public void AnOpenQuestionCannotBeOpenedAgain()
    {
        var question = Draft();
        question.Open(T0);
        var e = Assert.Throws<QuestionStateException>(() => question.Open(T0.AddSeconds(1)));
        Assert.Equal("Question 3 is open; only a draft question can be opened.", e.Message); // as a sentence, not "is Open"
        Assert.Equal(T0, question.OpenedAt);
    }

    [Fact]
    public void AClosedQuestionCanBeNeitherReopenedNorClosedAgain()
    {
        var question = Draft();
        question.Open(T0);
        question.Close(T0.AddSeconds(5));
        Assert.Contains("is closed;", Assert.Throws<QuestionStateException>(() => question.Open(T0.AddSeconds(6))).Message);
        Assert.Contains("is closed;", Assert.Throws<QuestionStateException>(() => question.Close(T0.AddSeconds(6))).Message);
        Assert.Equal(QuestionState.Closed, question.State);
        Assert.Equal(T0.AddSeconds(5), question.ClosedAt);
    }

    [Fact]
    public void AQuestionWithoutATimeLimitHasNoDeadline()
    {
        var question = Draft();
        question.TimeLimitSeconds = null;
        question.Open(T0);
        Assert.Null(question.Deadline);
    }
}
