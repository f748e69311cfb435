using CodeQuiz.Core.Ingest;

namespace CodeQuiz.Tests.Core.Ingest;

public class StoredUpdatesTests
{
    [Fact]
    public void TheWindowKeepsTheNewestIdsAndForgetsTheOldest()
    {
        var stored = new StoredUpdates();
        for (long id = 1; id <= StoredUpdates.Capacity + 10; id++)
            stored.Add(id);

        Assert.False(stored.Contains(1));
        Assert.False(stored.Contains(10));
        Assert.True(stored.Contains(11));
        Assert.True(stored.Contains(StoredUpdates.Capacity + 10));
        Assert.False(stored.Contains(StoredUpdates.Capacity + 11));
    }

    [Fact]
    public void AnIdAddedTwiceTakesOnePlace()
    {
        var stored = new StoredUpdates();
        stored.Add(7);
        stored.Add(7); // a repeat that went through the queue is answered, and added, again
        for (long id = 100; id < 100 + StoredUpdates.Capacity - 1; id++)
            stored.Add(id);

        Assert.True(stored.Contains(7));
        stored.Add(1);
        Assert.False(stored.Contains(7));
        Assert.True(stored.Contains(1));
    }
}
