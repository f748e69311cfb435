using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Web.Live;

/// <summary>An event with three questions written straight into the test app's database, and answers to them.</summary>
sealed class PresenterSeed(CodeQuizFactory factory)
{
    public int EventId { get; private set; }
    public string Token { get; private set; } = "";
    public List<int> QuestionIds { get; } = [];

    IDbContextFactory<QuizDbContext> Contexts => factory.Services.GetRequiredService<IDbContextFactory<QuizDbContext>>();

    public async Task<PresenterSeed> CreateAsync(string language = "en")
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var quiz = new QuizEvent { Name = "Code Week 2026 final", CreatedAt = DateTimeOffset.UtcNow, Language = language };
        quiz.Questions.Add(new Question
        {
            Position = 1, Code = Tokens.NewQuestionCode(), Kind = QuestionKind.FreeText, AcceptedAnswers = ["42"],
            Prompt = "What is x after this loop?\n```\nfor (int i = 0; i < 6; i++) x += 7;\n```", ShowPromptOnPresenter = true, TimeLimitSeconds = 90,
        });
        quiz.Questions.Add(new Question
        {
            Position = 2, Code = Tokens.NewQuestionCode(), Kind = QuestionKind.MultipleChoice,
            Options = ["O(n)", "O(log n)", "O(n²)"], CorrectOption = 1, Prompt = "Binary search runs in…",
        });
        quiz.Questions.Add(new Question { Position = 3, Code = Tokens.NewQuestionCode(), Prompt = "Later", AcceptedAnswers = ["x"] });
        db.Events.Add(quiz);
        await db.SaveChangesAsync();
        EventId = quiz.Id;
        Token = quiz.PresenterToken;
        QuestionIds.AddRange(quiz.Questions.OrderBy(q => q.Position).Select(q => q.Id));
        return this;
    }

    public Task OpenAsync(int questionId, DateTimeOffset? at = null) =>
        ChangeAsync(questionId, q => q.Open(at ?? DateTimeOffset.UtcNow));

    public Task CloseAsync(int questionId, DateTimeOffset? at = null) =>
        ChangeAsync(questionId, q => q.Close(at ?? DateTimeOffset.UtcNow));

    public Task ReopenAsync(int questionId, DateTimeOffset? at = null) =>
        ChangeAsync(questionId, q => q.Reopen(at ?? DateTimeOffset.UtcNow, []));

    /// <summary>Makes a draft a number question, <paramref name="answer"/> right.</summary>
    public Task MakeNumberAsync(int questionId, double answer) =>
        ChangeAsync(questionId, q => (q.Kind, q.AcceptedAnswers, q.NumericAnswer, q.Tolerance) = (QuestionKind.Numeric, [], answer, 0));

    async Task ChangeAsync(int questionId, Action<Question> change)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var question = await db.Questions.SingleAsync(q => q.Id == questionId);
        change(question);
        await db.SaveChangesAsync();
    }

    long _nextUpdateId = 1000;

    /// <summary>An answer from a new participant, <paramref name="afterSeconds"/> after the question opened.</summary>
    public async Task AnswerAsync(int questionId, long telegramId, string firstName, string text, bool correct,
        double afterSeconds, string? team = null, int? headCount = null, int? option = null)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var question = await db.Questions.AsNoTracking().SingleAsync(q => q.Id == questionId);
        if (await db.Participants.FindAsync(telegramId) is null)
            db.Participants.Add(new Participant { Id = telegramId, FirstName = firstName, TeamName = team, HeadCount = headCount, CreatedAt = DateTimeOffset.UtcNow });
        db.Answers.Add(new Answer
        {
            QuestionId = questionId, ParticipantId = telegramId, UpdateId = Interlocked.Increment(ref _nextUpdateId), Text = text,
            IsCorrect = correct, OptionIndex = option, AnsweredAt = question.OpenedAt!.Value.AddSeconds(afterSeconds),
            People = (await db.Participants.FindAsync(telegramId))!.People, // as the writer stores it: the head count then
        });
        await db.SaveChangesAsync();
    }

    public async Task RegenerateTokenAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var quiz = await db.Events.SingleAsync(e => e.Id == EventId);
        quiz.PresenterToken = Tokens.NewPresenterToken();
        await db.SaveChangesAsync();
        Token = quiz.PresenterToken;
    }
}
