using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Core.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Updates waiting for the batch writer; when full the webhook answers 503 and Telegram retries.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:QueueCapacity must be between 1 and 1000000.")]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>Most updates written in one transaction.</summary>
    [Range(1, 100_000, ErrorMessage = "Ingest:MaxBatchSize must be between 1 and 100000.")]
    public int MaxBatchSize { get; set; } = 1_000;

    /// <summary>
    /// How long the writer waits for more updates after the first of a batch. 0 (the default) writes what is queued at
    /// once: updates arriving during a write or a flush make the next batch, so batches grow with the load by themselves.
    /// </summary>
    [Range(0, 1_000, ErrorMessage = "Ingest:MaxBatchDelayMilliseconds must be between 0 and 1000.")]
    public int MaxBatchDelayMilliseconds { get; set; }

    /// <summary>
    /// How long a question with a time limit stays open after its time ran out, for answers sent in time (Telegram's
    /// message date) that are still on their way; answers sent later are late all the same.
    /// </summary>
    [Range(0d, 60d, ErrorMessage = "Ingest:DeadlineGraceSeconds must be between 0 and 60.")]
    public double DeadlineGraceSeconds { get; set; } = 3;

    /// <summary>Largest webhook body accepted (Telegram's own updates stay far below).</summary>
    [Range(1_024, 16 * 1024 * 1024, ErrorMessage = "Ingest:MaxBodyBytes must be between 1024 and 16777216.")]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The size of SQLite's write-ahead log above which the console warns, once it stays there: the log is then not being
    /// copied into the database file, because another program holds the database open.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "Ingest:LogWarningMegabytes must be between 1 and 1000000.")]
    public int LogWarningMegabytes { get; set; } = 64;

    /// <summary>
    /// Maps POST /telegram/webhook-baseline, which only checks the secret, reads and parses the update and answers 200
    /// (no queue, no database): the benchmark's yardstick for the webhook's own cost. Off unless benchmarking.
    /// </summary>
    public bool BaselineEndpoint { get; set; }
}
