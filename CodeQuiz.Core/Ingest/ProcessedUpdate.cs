namespace CodeQuiz.Core.Ingest;

/// <summary>A Telegram update_id that has been stored; the primary key makes a repeat harmless.</summary>
public class ProcessedUpdate
{
    public long UpdateId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>A body that passed the secret check but could not be understood: kept, and acknowledged.</summary>
public class DeadLetter
{
    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string Reason { get; set; }
    public required string Body { get; set; }
}
