using System.Collections.Concurrent;
using CodeQuiz.Core.Live;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Questions' results as last read, shared by every results page open: read again only when what they are computed
/// from changed (the question's state, its counts, who is left out). A big event's closed questions took seconds to read
/// all over again for each page opened and for each new answer to the open question.
/// </summary>
public sealed class ResultsReadings(QuizResults results, LiveStats live)
{
    readonly ConcurrentDictionary<int, (object Key, QuestionResults Results)> _read = new();

    /// <summary>The question's results (null when it is gone); <paramref name="again"/> reads them whatever the counts say.</summary>
    public async Task<QuestionResults?> GetAsync(Question question, bool again = false, CancellationToken cancellationToken = default)
    {
        var key = KeyOf(question); // taken before reading: answers arriving meanwhile make the next reading read it again
        if (!again && _read.TryGetValue(question.Id, out var read) && Equals(read.Key, key))
            return read.Results;
        var fresh = await results.GetQuestionResultsAsync(question.Id, cancellationToken: cancellationToken);
        if (fresh is null)
            _read.TryRemove(question.Id, out _);
        else
            _read[question.Id] = (key, fresh);
        return fresh;
    }

    object KeyOf(Question q) =>
        (q.State, q.OpenedAt, q.ClosedAt, live.RankingsVersion, live.Current.For(q.Id) is { } counts ? counts with { AnswersPerSecond = 0 } : null);
}
