using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Core.Quizzes;

public static class QuizzesExtensions
{
    /// <summary>The catalog (events, questions, CSV bank) and results, shared by the console and the API.</summary>
    public static IServiceCollection AddQuizzes(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<QuizCatalog>();
        services.TryAddSingleton<CatalogChanges>();
        services.AddSingleton<QuizResults>();
        services.AddSingleton<ResultsReadings>();
        return services;
    }
}
