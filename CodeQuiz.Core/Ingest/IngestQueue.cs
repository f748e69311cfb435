using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Core.Ingest;

/// <summary>
/// The bounded queue between the update sources (webhook, polling, organizers) and the single batch writer.
/// A full queue refuses instead of buffering without limit: the webhook answers 503 and Telegram retries.
/// </summary>
public sealed class IngestQueue(IOptions<IngestOptions> options)
{
    readonly Channel<IngestItem> _channel = Channel.CreateBounded<IngestItem>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    internal ChannelReader<IngestItem> Reader => _channel.Reader;

    public int Count => _channel.Reader.Count;

    /// <summary>False when the queue is full or the app is shutting down.</summary>
    public bool TryEnqueue(IngestItem item) => _channel.Writer.TryWrite(item);

    /// <summary>Waits for room (polling and organizer commands); throws once the app is shutting down.</summary>
    public ValueTask EnqueueAsync(IngestItem item, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(item, cancellationToken);

    /// <summary>Stops taking work; what is queued is still written.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
