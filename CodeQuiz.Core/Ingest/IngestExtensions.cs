using CodeQuiz.Core.Bot;
using CodeQuiz.Core.Live;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Quizzes;
using CodeQuiz.Core.Settings;
using CodeQuiz.Core.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CodeQuiz.Core.Ingest;

public static class IngestExtensions
{
    /// <summary>
    /// The durable pipeline: queue, batch writer, lifecycle, live statistics, outbox counters.
    /// The writer is registered before the outbox sender so that it stops after it and after the sources.
    /// </summary>
    public static IServiceCollection AddIngestPipeline(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IngestOptions>().BindSettings(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindSettings(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<StoredUpdates>();
        services.TryAddSingleton<WalDisk>();
        services.AddSingleton<DurableLog>();
        services.AddSingleton<BotConversation>();
        services.AddSingleton<LiveStats>();
        services.AddSingleton<OutboxCounters>();
        services.AddSingleton<BotIdentity>();
        services.AddSingleton<BotAdoption>();
        services.AddSingleton<BatchWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchWriter>());
        services.TryAddSingleton<CatalogChanges>();
        services.AddSingleton<IQuizLifecycle, PipelineLifecycle>();
        return services;
    }
}
