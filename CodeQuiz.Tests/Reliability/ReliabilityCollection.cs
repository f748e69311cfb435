namespace CodeQuiz.Tests.Reliability;

/// <summary>
/// The reliability tests start real servers, push thousands of requests and measure memory: they run one at a
/// time, after the rest of the suite, so that they neither slow the other tests' timing nor are slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilityCollection
{
    public const string Name = "Reliability";
}
