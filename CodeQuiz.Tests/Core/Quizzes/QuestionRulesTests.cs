using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Tests.Core.Quizzes;

public class QuestionRulesTests
{
    static Question Valid(QuestionKind kind) => kind switch
    {
        QuestionKind.FreeText => new() { Prompt = "Chi è?", Code = "Q7kP2x", Kind = kind, AcceptedAnswers = ["Giò"] },
        QuestionKind.MultipleChoice => new() { Prompt = "Quale?", Code = "Q7kP2y", Kind = kind, Options = ["for", "while"], CorrectOption = 1 },
        _ => new() { Prompt = "Quanto?", Code = "Q7kP2z", Kind = kind, NumericAnswer = 3.14, Tolerance = 0.01 },
    };

    [Theory]
    [InlineData(QuestionKind.FreeText)]
    [InlineData(QuestionKind.MultipleChoice)]
    [InlineData(QuestionKind.Numeric)]
    public void AWellFormedQuestionHasNoErrors(QuestionKind kind)
    {
        Assert.Empty(QuestionRules.Validate(Valid(kind)));
    }

    public static TheoryData<string, Action<Question>, QuestionKind> Broken => new()
    {
        { "prompt", q => q.Prompt = "  ", QuestionKind.FreeText },
        { "prompt", q => q.Prompt = new string('x', 4001), QuestionKind.FreeText },
        { "acceptedAnswers", q => q.AcceptedAnswers = [], QuestionKind.FreeText },
        { "acceptedAnswers", q => q.AcceptedAnswers = ["", "  "], QuestionKind.FreeText },
        // Zero-width spaces and a Hangul filler: a participant's answer that shows nothing is not taken, so none could be right.
        { "acceptedAnswers", q => q.AcceptedAnswers = ["\u200B", "\u3164", "\u200B\u00AD"], QuestionKind.FreeText },
        { "prompt", q => q.Prompt = "\u200B\u200C", QuestionKind.FreeText },
        { "acceptedAnswers", q => q.AcceptedAnswers = [.. Enumerable.Range(0, 101).Select(i => $"answer {i}")], QuestionKind.FreeText },
        { "options", q => q.Options = ["for", "\u200B"], QuestionKind.MultipleChoice },
        { "options", q => { q.Options = ["only one"]; q.CorrectOption = 0; }, QuestionKind.MultipleChoice },
        { "options", q => q.Options = [.. Enumerable.Range(0, 11).Select(i => $"option {i}")], QuestionKind.MultipleChoice },
        { "options", q => q.Options = ["for", new string('w', 65)], QuestionKind.MultipleChoice },
        { "options", q => q.Options = ["for", " "], QuestionKind.MultipleChoice },
        { "options", q => q.Options = ["Ciclo", "ciclò"], QuestionKind.MultipleChoice },
        { "correctOption", q => q.CorrectOption = null, QuestionKind.MultipleChoice },
        { "correctOption", q => q.CorrectOption = 2, QuestionKind.MultipleChoice },
        { "correctOption", q => q.CorrectOption = -1, QuestionKind.MultipleChoice },
        { "numericAnswer", q => q.NumericAnswer = null, QuestionKind.Numeric },
        { "numericAnswer", q => q.NumericAnswer = double.NaN, QuestionKind.Numeric },
        { "tolerance", q => q.Tolerance = -0.1, QuestionKind.Numeric },
        { "timeLimitSeconds", q => q.TimeLimitSeconds = 4, QuestionKind.FreeText },
        { "timeLimitSeconds", q => q.TimeLimitSeconds = 3601, QuestionKind.Numeric },
        { "code", q => q.Code = "has space", QuestionKind.FreeText },
        { "code", q => q.Code = new string('a', 17), QuestionKind.FreeText },
        { "code", q => q.Code = "", QuestionKind.FreeText },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void EachBrokenRuleIsReportedUnderItsField(string field, Action<Question> breakIt, QuestionKind kind)
    {
        var question = Valid(kind);
        breakIt(question);
        var errors = QuestionRules.Validate(question);
        Assert.Equal([field], errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3600)]
    [InlineData(null)]
    public void TimeLimitsFromFiveSecondsToAnHourOrNoneAreAccepted(int? seconds)
    {
        var question = Valid(QuestionKind.FreeText);
        question.TimeLimitSeconds = seconds;
        Assert.Empty(QuestionRules.Validate(question));
    }

    [Fact]
    public void AHundredAcceptedAnswersAreAccepted()
    {
        var question = Valid(QuestionKind.FreeText);
        question.AcceptedAnswers = [.. Enumerable.Range(0, QuestionRules.AcceptedAnswersMax).Select(i => $"answer {i}")];
        Assert.Empty(QuestionRules.Validate(question));
    }

    [Fact]
    public void SeveralProblemsAreAllReported()
    {
        var question = new Question { Prompt = "", Code = "bad code!", Kind = QuestionKind.MultipleChoice, Options = ["x"] };
        var errors = QuestionRules.Validate(question);
        Assert.Equal(["code", "correctOption", "options", "prompt"], errors.Keys.Order());
    }
}
