using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Quizzes;

/// <summary>Codes for new questions: random (so links cannot be guessed) and unique across all events.</summary>
public static class QuestionCodes
{
    /// <summary>
    /// A code no stored question has, even with other capitals (a typed code is found whatever its capitals). A clash
    /// among 56^10 codes is all but impossible; the check makes it impossible, and the unique index still guards
    /// against a concurrent insert.
    /// </summary>
    public static async Task<string> NewUniqueAsync(QuizDbContext db, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var code = Tokens.NewQuestionCode();
            var lower = code.ToLowerInvariant();
            if (!await db.Questions.AnyAsync(q => q.Code.ToLower() == lower, cancellationToken))
                return code;
            if (attempt >= 10)
                throw new InvalidOperationException("Could not find an unused question code.");
        }
    }
}
