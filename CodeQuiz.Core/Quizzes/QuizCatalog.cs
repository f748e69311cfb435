using System.Globalization;
using System.Text.RegularExpressions;
using CodeQuiz.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// Events and questions as organizers prepare them, for the console and the API alike: validation
/// with field errors, reorder, duplicate, the CSV question bank and presenter links. Every change
/// is followed by <see cref="IQuizLifecycle.CatalogChanged"/> so the bot sees it at once, and by
/// <see cref="CatalogChanges"/> so console pages open elsewhere show it.
/// </summary>
public sealed partial class QuizCatalog(IDbContextFactory<QuizDbContext> dbs, TimeProvider time, IQuizLifecycle lifecycle, CatalogChanges changes)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "it"];
    public const int EventNameMax = 200, ImportMaxQuestions = 1000;

    // ---- Events ----

    public async Task<IReadOnlyList<QuizEvent>> ListEventsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToListAsync(cancellationToken);
    }

    public async Task<QuizEvent?> GetEventAsync(int eventId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
    }

    public async Task<CatalogResult<QuizEvent>> CreateEventAsync(EventInput input, CancellationToken cancellationToken = default)
    {
        if (ValidateEvent(input) is { Count: > 0 } errors)
            return CatalogResult.Invalid<QuizEvent>(errors);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var quizEvent = new QuizEvent { Name = "", CreatedAt = time.GetUtcNow() };
        Apply(input, quizEvent);
        db.Events.Add(quizEvent);
        await db.SaveChangesAsync(cancellationToken);
        Changed(quizEvent.Id, eventItself: true);
        return CatalogResult.Done(quizEvent);
    }

    /// <summary>
    /// Saves an event's settings. Given <paramref name="asRead"/> (the event as the form showed it), a channel the organizer
    /// left as it was shown stays what the database has now: the bot follows a group that became a supergroup to its new
    /// id, and a form opened before must not put the old one back. A channel the organizer changed is saved as typed.
    /// </summary>
    public async Task<CatalogResult<QuizEvent>> UpdateEventAsync(int eventId, EventInput input, QuizEvent? asRead = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var quizEvent = await db.Events.FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (quizEvent is null)
            return CatalogResult.NotFound<QuizEvent>(EventNotFound(eventId));
        if (ValidateEvent(input) is { Count: > 0 } errors)
            return CatalogResult.Invalid<QuizEvent>(errors);
        // Left untouched, the channel is not written at all: a move recorded while this saves stays too.
        Apply(input, quizEvent, channel: asRead is null || ChannelOf(input.ChannelId) != ChannelOf(asRead.ChannelId));
        await SaveAsync(db, cancellationToken);
        Changed(eventId, eventItself: true);
        return CatalogResult.Done(quizEvent);
    }

    /// <summary>Deletes the event with its questions and answers; refused while one of its questions is open.</summary>
    public async Task<CatalogResult<bool>> DeleteEventAsync(int eventId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var quizEvent = await db.Events.FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (quizEvent is null)
            return CatalogResult.NotFound<bool>(EventNotFound(eventId));
        if (await db.Questions.Where(q => q.EventId == eventId && q.State == QuestionState.Open).Select(q => (int?)q.Position).FirstOrDefaultAsync(cancellationToken) is { } open)
            return CatalogResult.Conflict<bool>($"Question {open} is open; close it before deleting the event.");
        db.Events.Remove(quizEvent);
        await SaveAsync(db, cancellationToken);
        Changed(eventId, eventItself: true);
        return CatalogResult.Done(true);
    }

    /// <summary>A new presenter link; the old one stops working.</summary>
    public async Task<CatalogResult<QuizEvent>> RegeneratePresenterTokenAsync(int eventId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var quizEvent = await db.Events.FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (quizEvent is null)
            return CatalogResult.NotFound<QuizEvent>(EventNotFound(eventId));
        quizEvent.PresenterToken = Tokens.NewPresenterToken();
        await db.SaveChangesAsync(cancellationToken);
        Changed(eventId, eventItself: true);
        return CatalogResult.Done(quizEvent);
    }

    public static IReadOnlyDictionary<string, string[]> ValidateEvent(EventInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
            errors["name"] = ["The name is required."];
        else if (name.Length > EventNameMax)
            errors["name"] = [$"The name must be at most {EventNameMax} characters."];
        else if (Bot.VisibleText.Count(name) == 0)
            errors["name"] = ["The name shows nothing: it holds only invisible characters (zero-width spaces, say)."];
        else if (name.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'))
            errors["name"] = ["The name must be one line of text: it holds a line break, a tab or another control character."];
        if (!Languages.Contains(input.Language?.Trim().ToLowerInvariant()))
            errors["language"] = [$"The language must be one of: {string.Join(", ", Languages)}."];
        if (!string.IsNullOrWhiteSpace(input.ChannelId) && InviteLink().IsMatch(input.ChannelId.Trim()))
            errors["channelId"] = ["An invite link (t.me/+…) does not tell the bot which channel it is: paste the link of a post in the channel " +
                "instead (Copy Post Link; a private channel's is t.me/c/…), or its @name."];
        else if (ChannelOf(input.ChannelId) is { } channel && !IsChannelId(channel))
            errors["channelId"] = ["The channel must be @name (5–32 letters, digits or _), its t.me link, or a numeric chat id such as -1001234567890."];
        if (!Enum.IsDefined(input.Scoring))
            errors["scoring"] = ["The scoring must be CorrectThenDelay or SpeedPoints."];
        return errors;
    }

    /// <summary>
    /// The channel as Telegram's apps let an organizer copy it: "@codeweek", "codeweek", "https://t.me/codeweek" and a post's
    /// link "t.me/codeweek/12" name @codeweek; a private channel's post link "t.me/c/1234567890/12" is chat -1001234567890.
    /// Anything else is returned trimmed, for the validation to refuse; null when empty.
    /// </summary>
    public static string? ChannelOf(string? typed)
    {
        var channel = typed?.Trim();
        if (string.IsNullOrEmpty(channel))
            return null;
        if (ChannelLink().Match(channel) is { Success: true } link)
            return link.Groups["private"].Success ? "-100" + link.Groups["private"].Value : "@" + link.Groups["name"].Value;
        return ChannelName().IsMatch("@" + channel) ? "@" + channel : channel;
    }

    [GeneratedRegex(@"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?(?:c/(?<private>\d{1,20})|(?<name>[A-Za-z][A-Za-z0-9_]{4,31}))(?:/\d*)?/?(?:\?.*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex ChannelLink();

    [GeneratedRegex(@"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:\+|joinchat/)", RegexOptions.IgnoreCase)]
    private static partial Regex InviteLink();

    /// <summary>An @name, or a group's or channel's numeric id, which is negative: a positive one is a person's chat, 0 none.</summary>
    static bool IsChannelId(string channel) =>
        ChannelName().IsMatch(channel) || long.TryParse(channel, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) && id < 0;

    [GeneratedRegex("^@[A-Za-z][A-Za-z0-9_]{4,31}$")]
    private static partial Regex ChannelName();

    static void Apply(EventInput input, QuizEvent quizEvent, bool channel = true)
    {
        quizEvent.Name = input.Name!.Trim();
        quizEvent.Language = input.Language!.Trim().ToLowerInvariant();
        if (channel)
            quizEvent.ChannelId = ChannelOf(input.ChannelId);
        quizEvent.Scoring = input.Scoring;
    }

    static string EventNotFound(int eventId) => $"There is no event {eventId}.";
    static string QuestionNotFound(int questionId) => $"There is no question {questionId}.";

    // ---- Questions ----

    /// <summary>The event's questions in order; null when the event does not exist.</summary>
    public async Task<IReadOnlyList<Question>?> ListQuestionsAsync(int eventId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (!await db.Events.AnyAsync(e => e.Id == eventId, cancellationToken))
            return null;
        return await db.Questions.AsNoTracking().Where(q => q.EventId == eventId).OrderBy(q => q.Position).ThenBy(q => q.Id).ToListAsync(cancellationToken);
    }

    public async Task<Question?> GetQuestionAsync(int questionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken);
    }

    /// <summary>Adds a draft question at the end of the event, with a fresh code.</summary>
    public async Task<CatalogResult<Question>> CreateQuestionAsync(int eventId, QuestionInput input, CancellationToken cancellationToken = default)
    {
        using var adding = await AddingAsync(cancellationToken);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        // The event first, as an edit and an import look: fixing every field would otherwise lead only to the 404.
        if (!await db.Events.AnyAsync(e => e.Id == eventId, cancellationToken))
            return CatalogResult.NotFound<Question>(EventNotFound(eventId));
        var question = new Question { EventId = eventId, Prompt = "", Code = Tokens.NewQuestionCode() };
        input.ApplyTo(question);
        if (QuestionRules.Validate(question) is { Count: > 0 } errors)
            return CatalogResult.Invalid<Question>(errors);
        question.Position = await NextPositionAsync(db, eventId, cancellationToken);
        db.Questions.Add(question);
        await SaveWithUniqueCodesAsync(db, [question], cancellationToken);
        Changed(eventId, eventItself: false);
        return CatalogResult.Done(question);
    }

    /// <summary>
    /// Edits a question; only a draft can change, since participants may already have seen it. Given
    /// <paramref name="asRead"/> (the question as the editor loaded it), a question another organizer saved in the
    /// meantime is left as they saved it, and the answer is a conflict, not a silent overwrite.
    /// </summary>
    public async Task<CatalogResult<Question>> UpdateQuestionAsync(int questionId, QuestionInput input, Question? asRead = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var question = await db.Questions.FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken);
        if (question is null)
            return CatalogResult.NotFound<Question>(QuestionNotFound(questionId));
        if (question.State != QuestionState.Draft)
            return CatalogResult.Conflict<Question>($"Question {question.Position} is {question.StateName}; only a draft can be edited (duplicate it to reuse it).");
        if (asRead is not null && !question.SameContentAs(asRead))
            return CatalogResult.Conflict<Question>($"Another organizer saved question {question.Position} while you were editing it.");
        input.ApplyTo(question);
        if (QuestionRules.Validate(question) is { Count: > 0 } errors)
            return CatalogResult.Invalid<Question>(errors);
        // Opened now, it can no longer be edited at all: "retry" would only be refused.
        if (!await SaveUnlessOpenedAsync(db, cancellationToken))
            return CatalogResult.Conflict<Question>($"Question {question.Position} was opened while your changes were being saved, so they were not saved: "
                + "only a draft can be edited (duplicate it to reuse it).");
        Changed(question.EventId, eventItself: false);
        return CatalogResult.Done(question);
    }

    void Changed(int eventId, bool eventItself)
    {
        lifecycle.CatalogChanged();
        changes.Publish(new CatalogChanged(eventId, eventItself));
    }

    /// <summary>
    /// Deletes a draft; the drafts after it move up. A question that has been opened stays until the event is started over:
    /// participants, the channel and the projector know it by its number, and its answers count in the event's ranking.
    /// </summary>
    public async Task<CatalogResult<bool>> DeleteQuestionAsync(int questionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var question = await db.Questions.FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken);
        if (question is null)
            return CatalogResult.NotFound<bool>(QuestionNotFound(questionId));
        if (question.State == QuestionState.Open)
            return CatalogResult.Conflict<bool>($"Question {question.Position} is open; close it before deleting it.");
        if (question.State != QuestionState.Draft)
            return CatalogResult.Conflict<bool>($"Question {question.Position} has been opened: participants, the channel and the projector know it "
                + $"as question {question.Position}, and its answers count in the ranking. It stays until the event is started over.");
        var rest = await db.Questions.Where(q => q.EventId == question.EventId && q.Id != questionId).OrderBy(q => q.Position).ThenBy(q => q.Id).ToListAsync(cancellationToken);
        if (Announced(rest) is { } announced)
            return CatalogResult.Conflict<bool>($"Deleting question {question.Position} would renumber question {announced.Position}, which has been opened: "
                + $"participants, the channel and the projector know it as question {announced.Position}. To rearrange the questions after a rehearsal, start the event over first.");
        db.Questions.Remove(question);
        Renumber(rest);
        // A co-host deleting the same question a moment before makes the save change nothing too: it is gone, no conflict.
        if (!await SaveUnlessOpenedAsync(db, cancellationToken))
            return await db.Questions.AnyAsync(q => q.Id == questionId, cancellationToken)
                ? CatalogResult.Conflict<bool>(OpenedMeanwhile)
                : CatalogResult.NotFound<bool>(QuestionNotFound(questionId));
        Changed(question.EventId, eventItself: false);
        return CatalogResult.Done(true);
    }

    /// <summary>Puts the event's questions in the given order; the list must name each of them once.</summary>
    public async Task<CatalogResult<IReadOnlyList<Question>>> ReorderQuestionsAsync(int eventId, IReadOnlyList<int> questionIds, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (!await db.Events.AnyAsync(e => e.Id == eventId, cancellationToken))
            return CatalogResult.NotFound<IReadOnlyList<Question>>(EventNotFound(eventId));
        var questions = await db.Questions.Where(q => q.EventId == eventId).ToDictionaryAsync(q => q.Id, cancellationToken);
        if (questionIds.Count != questions.Count || questionIds.Distinct().Count() != questionIds.Count || !questionIds.All(questions.ContainsKey))
            return CatalogResult.Invalid<IReadOnlyList<Question>>("questionIds",
                $"List each of the event's {questions.Count} question ids exactly once, in the new order.");
        var ordered = questionIds.Select(id => questions[id]).ToList();
        if (Announced(ordered) is { } announced)
            return CatalogResult.Conflict<IReadOnlyList<Question>>($"Question {announced.Position} has been opened: participants, the channel and the projector know it "
                + $"as question {announced.Position}, so it keeps its number. To rearrange the questions after a rehearsal, start the event over first.");
        Renumber(ordered);
        if (!await SaveUnlessOpenedAsync(db, cancellationToken))
            return CatalogResult.Conflict<IReadOnlyList<Question>>(OpenedMeanwhile);
        Changed(eventId, eventItself: false);
        return CatalogResult.Done<IReadOnlyList<Question>>(ordered);
    }

    /// <summary>Moves one question to a 1-based position, shifting the others.</summary>
    public async Task<CatalogResult<IReadOnlyList<Question>>> MoveQuestionAsync(int questionId, int position, CancellationToken cancellationToken = default)
    {
        var question = await GetQuestionAsync(questionId, cancellationToken);
        if (question is null)
            return CatalogResult.NotFound<IReadOnlyList<Question>>(QuestionNotFound(questionId));
        var ids = (await ListQuestionsAsync(question.EventId, cancellationToken) ?? []).Select(q => q.Id).Where(id => id != questionId).ToList();
        if (position < 1 || position > ids.Count + 1)
            return CatalogResult.Invalid<IReadOnlyList<Question>>("position", $"The position must be between 1 and {ids.Count + 1}.");
        ids.Insert(position - 1, questionId);
        return await ReorderQuestionsAsync(question.EventId, ids, cancellationToken);
    }

    /// <summary>A draft copy with a new code, at the end of the event: the way to reuse an opened question.</summary>
    public async Task<CatalogResult<Question>> DuplicateQuestionAsync(int questionId, CancellationToken cancellationToken = default)
    {
        using var adding = await AddingAsync(cancellationToken);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var original = await db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId, cancellationToken);
        if (original is null)
            return CatalogResult.NotFound<Question>(QuestionNotFound(questionId));
        var copy = new Question { EventId = original.EventId, Prompt = "", Code = Tokens.NewQuestionCode() };
        QuestionInput.From(original).ApplyTo(copy);
        copy.Position = await NextPositionAsync(db, original.EventId, cancellationToken);
        db.Questions.Add(copy);
        await SaveWithUniqueCodesAsync(db, [copy], cancellationToken);
        Changed(copy.EventId, eventItself: false);
        return CatalogResult.Done(copy);
    }

    /// <summary>
    /// Adding questions reads the event's questions (the last number; for an import, the questions it must not repeat),
    /// then saves: two additions at once (a script sending its questions in parallel, an import clicked twice) gave two
    /// questions one number, or imported a bank twice. One at a time; CodeQuiz runs as one process, as its pipeline does.
    /// </summary>
    static readonly SemaphoreSlim Adding = new(1, 1);

    static async Task<AddingTurn> AddingAsync(CancellationToken cancellationToken)
    {
        await Adding.WaitAsync(cancellationToken);
        return new AddingTurn();
    }

    readonly struct AddingTurn : IDisposable
    {
        public void Dispose() => Adding.Release();
    }

    static async Task<int> NextPositionAsync(QuizDbContext db, int eventId, CancellationToken cancellationToken) =>
        (await db.Questions.Where(q => q.EventId == eventId).MaxAsync(q => (int?)q.Position, cancellationToken) ?? 0) + 1;

    /// <summary>
    /// The first question in <paramref name="ordered"/> that has been opened and would get another number: it keeps the one it
    /// was announced with (in the bot's prompt, the channel's posts, the projector). <see cref="QuestionState.Draft"/>s move freely.
    /// </summary>
    static Question? Announced(IEnumerable<Question> ordered) =>
        ordered.Select((question, index) => (question, position: index + 1))
            .FirstOrDefault(x => x.question.State != QuestionState.Draft && x.question.Position != x.position).question;

    // A co-host's delete of a question this change renumbers stops it as an open does: the message must not say "opened" only.
    const string OpenedMeanwhile = "Another organizer opened or deleted a question while this change was being saved, so nothing was changed. "
        + "Look at the questions again and retry.";

    /// <summary>
    /// Saves, unless a question it changes was opened, closed or deleted since it was read: a question's state is its
    /// concurrency token, so the writer's open, between our read and this save, makes the save change nothing.
    /// </summary>
    async Task<bool> SaveUnlessOpenedAsync(QuizDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await SaveAsync(db, cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>
    /// Saves a change to what the bot reads of an event or its questions, telling the batch writer before the save as well
    /// as after it (<see cref="Changed"/>). The writer reads the catalog again inside its own transaction, so a batch that
    /// begins between this commit and the notice after it reads it too: an open never announces a question by the number,
    /// text or channel this save has just replaced.
    /// </summary>
    async Task SaveAsync(QuizDbContext db, CancellationToken cancellationToken)
    {
        lifecycle.CatalogChanged();
        await db.SaveChangesAsync(cancellationToken);
    }

    static void Renumber(IEnumerable<Question> ordered)
    {
        var position = 1;
        foreach (var question in ordered)
            question.Position = position++;
    }

    /// <summary>
    /// Codes are random (about 59 bits) and unique across all events; a collision is astronomically
    /// rare but the unique index would refuse it, so a clash gets fresh codes and another try.
    /// </summary>
    static async Task SaveWithUniqueCodesAsync(QuizDbContext db, IReadOnlyList<Question> added, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var codes = added.Select(q => q.Code).ToList();
            var taken = await db.Questions.AsNoTracking().Where(q => codes.Contains(q.Code)).Select(q => q.Code).ToListAsync(cancellationToken);
            foreach (var question in added.Where(q => taken.Contains(q.Code) || added.Count(other => other.Code == q.Code) > 1))
                question.Code = Tokens.NewQuestionCode();
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                foreach (var question in added)
                    question.Code = Tokens.NewQuestionCode();
            }
        }
    }
}
