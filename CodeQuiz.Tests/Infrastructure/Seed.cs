using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>Puts events and questions straight into a running app's database and tells the pipeline.</summary>
public static class Seed
{
    public static async Task<(QuizEvent Event, List<Question> Questions)> EventAsync(IServiceProvider services, string? channel = "@codeweek", params Question[] questions)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<QuizDbContext>>().CreateDbContextAsync();
        var ev = new QuizEvent { Name = "Code Week final", ChannelId = channel, CreatedAt = DateTimeOffset.UtcNow };
        var position = 1;
        foreach (var q in questions)
        {
            q.Position = position++;
            ev.Questions.Add(q);
        }
        db.Events.Add(ev);
        await db.SaveChangesAsync();
        services.GetRequiredService<IQuizLifecycle>().CatalogChanged();
        return (ev, ev.Questions.ToList());
    }

    public static Question FreeText(string code, params string[] accepted) =>
        new() { Prompt = "Which language has goroutines?", Kind = QuestionKind.FreeText, AcceptedAnswers = [.. accepted], Code = code };

    public static Question Choice(string code, int correct, params string[] options) =>
        new() { Prompt = "Which loop prints 3 times?", Kind = QuestionKind.MultipleChoice, Options = [.. options], CorrectOption = correct, Code = code };

    public static Question Numeric(string code, double answer, double tolerance) =>
        new() { Prompt = "What is pi to two decimals?", Kind = QuestionKind.Numeric, NumericAnswer = answer, Tolerance = tolerance, Code = code };
}
