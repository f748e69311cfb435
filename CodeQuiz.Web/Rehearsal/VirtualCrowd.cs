using System.Globalization;
using System.Text;
using CodeQuiz.Core.Quizzes;

namespace CodeQuiz.Web.Rehearsal;

/// <summary>A question as the audience knows it from the livestream: its code, and the right answer for those who know it.</summary>
public sealed record CrowdQuestion(
    int Id,
    string Code,
    QuestionKind Kind,
    IReadOnlyList<string> AcceptedAnswers,
    IReadOnlyList<string> Options,
    int? CorrectOption,
    double? NumericAnswer,
    double? Tolerance);

/// <summary>
/// What the crowd has done since <paramref name="Since"/> (for the rehearsal page and tests): the app's start, or the
/// last <em>Start over</em> when <paramref name="SinceStartOver"/>, which deleted the answers these counted.
/// </summary>
public sealed record CrowdCounters(
    int Scans, int RightAnswers, int WrongAnswers, int Variants, int ButtonPresses, int DoubleAnswers,
    int LateAnswers, int Stickers, int Photos, int TeamRegistrations, int GaveUp,
    DateTimeOffset Since, bool SinceStartOver);

/// <summary>
/// Virtual participants. When a question opens they "scan the QR" (/start CODE), read what the bot sent them,
/// and answer after a human delay: mostly right, some wrong, right answers typed with other case, accents or
/// punctuation, button presses on the keyboard the bot sent, a few double and late answers, a few stickers
/// and photos. Some register a team first. Everything runs from <see cref="RunDue"/> on the simulator's clock,
/// so a test with a fake clock sees the same crowd every time for the same seed.
/// </summary>
public sealed class VirtualCrowd
{
    const double LateShare = 0.04, DoubleShare = 0.05, StickerShare = 0.03, PhotoShare = 0.02, TeamShare = 0.15, VariantShare = 0.35;
    static readonly TimeSpan ReplyPatience = TimeSpan.FromSeconds(45), ReplyCheck = TimeSpan.FromMilliseconds(500);

    readonly TelegramSimulator _simulator;
    readonly TimeProvider _time;
    readonly Lock _gate = new();
    readonly List<Participant> _participants = [];
    readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _steps = new();
    readonly Dictionary<int, PlayedQuestion> _open = [];
    readonly Random _random;
    long _sequence;
    int _scans, _right, _wrong, _variants, _buttons, _doubles, _late, _stickers, _photos, _teams, _gaveUp;
    DateTimeOffset _countingSince;
    bool _sinceStartOver;

    internal VirtualCrowd(TelegramSimulator simulator, RehearsalOptions options, TimeProvider time)
    {
        _simulator = simulator;
        _time = time;
        _random = options.CrowdSeed is { } seed ? new Random(seed) : new Random();
        _countingSince = time.GetUtcNow();
        Pace = options.Pace;
        Accuracy = options.Accuracy;
        Participation = options.Participation;
        Resize(options.CrowdSize);
    }

    public bool IsRunning { get; private set; }
    public double Pace { get; set; }
    public double Accuracy { get; set; }
    public double Participation { get; set; }

    public int Size
    {
        get { lock (_gate) return _participants.Count; }
    }

    public IReadOnlyList<SimUser> Participants
    {
        get { lock (_gate) return [.. _participants.Select(p => p.User)]; }
    }

    /// <summary>Ids of the questions the crowd knows to be open.</summary>
    public IReadOnlyCollection<int> OpenQuestions
    {
        get { lock (_gate) return [.. _open.Keys]; }
    }

    public CrowdCounters Counters
    {
        get { lock (_gate) return new(_scans, _right, _wrong, _variants, _buttons, _doubles, _late, _stickers, _photos, _teams, _gaveUp, _countingSince, _sinceStartOver); }
    }

    /// <summary>
    /// Counts afresh after an event was started over: its answers are gone, and counts that went on from the app's start
    /// would not match the console's.
    /// </summary>
    public void EventStartedOver()
    {
        lock (_gate)
        {
            _scans = _right = _wrong = _variants = _buttons = _doubles = _late = _stickers = _photos = _teams = _gaveUp = 0;
            _countingSince = _time.GetUtcNow();
            _sinceStartOver = true;
        }
        Changed?.Invoke();
        _simulator.Changed(); // the rehearsal page shows the counts from zero without waiting for the next message
    }

    /// <summary>When the next step is due, if any.</summary>
    public DateTimeOffset? NextDue
    {
        get { lock (_gate) return _steps.TryPeek(out _, out var due) ? due.At : null; }
    }

    public event Action? Changed;

    public void Start()
    {
        lock (_gate)
        {
            if (IsRunning) return;
            IsRunning = true;
            foreach (var p in _participants) Join(p);
        }
        Changed?.Invoke();
    }

    public void Stop()
    {
        lock (_gate)
        {
            IsRunning = false;
            _steps.Clear();
            foreach (var p in _participants) if (p.Team is not null && !p.Registered) p.Registering = false;
        }
        Changed?.Invoke();
    }

    /// <summary>Grows or shrinks the crowd; newcomers join whatever is open, as if they just tuned in.</summary>
    public void Resize(int size)
    {
        size = Math.Clamp(size, 0, 100_000);
        lock (_gate)
        {
            while (_participants.Count > size)
            {
                _participants[^1].Active = false;
                _participants.RemoveAt(_participants.Count - 1);
            }
            while (_participants.Count < size)
            {
                var p = NewParticipant(_participants.Count);
                _participants.Add(p);
                if (IsRunning) Join(p);
            }
        }
        Changed?.Invoke();
    }

    public void QuestionOpened(CrowdQuestion question)
    {
        lock (_gate)
        {
            if (_open.ContainsKey(question.Id)) return;
            var played = new PlayedQuestion(question);
            _open[question.Id] = played;
            if (IsRunning)
                foreach (var p in _participants) Play(p, played);
        }
        Changed?.Invoke();
    }

    public void QuestionClosed(int questionId)
    {
        lock (_gate)
        {
            if (!_open.Remove(questionId, out var played)) return;
            played.Closed = true;
            foreach (var (p, promptMessageId) in played.Late)
                After(p, Seconds(1 + _random.NextDouble() * 6), () =>
                {
                    _late++;
                    Answer(p, played, promptMessageId, isDouble: false);
                });
        }
        Changed?.Invoke();
    }

    /// <summary>Runs every step that is due on the simulator's clock; returns how many ran.</summary>
    public int RunDue()
    {
        var ran = 0;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_steps.TryPeek(out var step, out var due) && due.At <= now)
            {
                _steps.Dequeue();
                step();
                ran++;
            }
        }
        if (ran > 0) Changed?.Invoke();
        return ran;
    }

    // ---- behaviour -----------------------------------------------------------------------------

    Participant NewParticipant(int index)
    {
        var (first, last) = index < CrowdNames.Tricky.Length
            ? CrowdNames.Tricky[index]
            : (CrowdNames.First[_random.Next(CrowdNames.First.Length)], CrowdNames.Last[_random.Next(CrowdNames.Last.Length)]);
        var username = _random.NextDouble() < 0.6 ? $"{Ascii(first)}{_random.Next(10, 9999)}" : null;
        var language = _random.NextDouble() < 0.3 ? "it" : _random.NextDouble() < 0.2 ? "de" : "en";
        var user = new SimUser(7_100_000_000 + index, first, last, username, language);
        var team = index >= CrowdNames.Tricky.Length && _random.NextDouble() < TeamShare || index == 1
            ? CrowdNames.Teams[_random.Next(CrowdNames.Teams.Length)]
            : null;
        return new Participant(user)
        {
            Speed = 0.6 + _random.NextDouble(),
            Skill = (_random.NextDouble() - 0.5) * 0.3,
            Team = team,
            HeadCount = team is null ? null : PeopleOnOnePhone(),
        };
    }

    /// <summary>
    /// How many answer on a team member's phone, as the bot asks: mostly their own, some a group around one phone, a few
    /// a whole class on the teacher's. A team's people are the sum over its phones.
    /// </summary>
    int PeopleOnOnePhone() => _random.NextDouble() switch
    {
        < 0.4 => 1,
        < 0.85 => _random.Next(2, 6),
        _ => _random.Next(15, 31),
    };

    static string Ascii(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
        return builder.Length > 0 ? builder.ToString() : "user";
    }

    void Join(Participant p)
    {
        if (p.Team is not null && !p.Registered && !p.Registering)
            RegisterTeam(p);
        foreach (var played in _open.Values) Play(p, played);
    }

    void RegisterTeam(Participant p)
    {
        p.Registering = true;
        After(p, Seconds(1 + _random.NextDouble() * 40), () =>
        {
            Say(p, "/start register", _ =>
                After(p, Seconds(3 + _random.NextDouble() * 8), () =>
                    Say(p, p.Team!, _ =>
                        After(p, Seconds(2 + _random.NextDouble() * 5), () =>
                        {
                            var count = p.HeadCount!.Value.ToString(CultureInfo.InvariantCulture);
                            // Some type the number as they would say it, which the bot takes as the head count too.
                            var said = p.HeadCount > 1 && _random.NextDouble() < 0.15 ? $"about {count} students" : count;
                            Say(p, said, _ => { p.Registered = true; _teams++; });
                        }))));
        });
    }

    void Play(Participant p, PlayedQuestion played)
    {
        if (!played.Playing.Add(p.User.Id) || _random.NextDouble() >= Participation) return;
        var fate = _random.NextDouble();
        var late = fate < LateShare;
        var isDouble = !late && fate < LateShare + DoubleShare;
        var extra = _random.NextDouble();
        var sticker = extra < StickerShare;
        var photo = !sticker && extra < StickerShare + PhotoShare;
        After(p, Seconds((2 + Exponential(8)) * p.Speed), () =>
        {
            _scans++;
            Say(p, $"/start {played.Question.Code}", prompt =>
            {
                if (sticker) { _simulator.SendSticker(p.User, _random.NextDouble() < 0.5 ? "👍" : "🤔"); _stickers++; }
                if (photo) { _simulator.SendPhoto(p.User, _random.NextDouble() < 0.5 ? "my answer is on the whiteboard" : null); _photos++; }
                if (late)
                {
                    if (played.Closed) Answer(p, played, prompt.MessageId, isDouble: false);
                    else played.Late.Add((p, prompt.MessageId));
                    return;
                }
                After(p, Seconds((3 + Exponential(10)) * p.Speed), () =>
                {
                    Answer(p, played, prompt.MessageId, isDouble: false);
                    if (isDouble)
                        After(p, Seconds(2 + _random.NextDouble() * 8), () => { _doubles++; Answer(p, played, prompt.MessageId, isDouble: true); });
                });
            }, played.Question.Kind == QuestionKind.MultipleChoice ? m => m.Buttons.Any() : null);
        });
    }

    /// <summary>Answers from what the bot sent: the keyboard of the prompt if it had one, else by typing.</summary>
    void Answer(Participant p, PlayedQuestion played, int promptMessageId, bool isDouble)
    {
        var question = played.Question;
        var right = !isDouble && _random.NextDouble() < Math.Clamp(Accuracy + p.Skill, 0, 1);
        var prompt = _simulator.Messages(p.User.Id).LastOrDefault(m => m.FromBot && m.MessageId == promptMessageId);
        var buttons = prompt?.Buttons.Where(b => b.CallbackData is not null).ToList() ?? [];
        if (buttons.Count > 0)
        {
            var correct = question.CorrectOption is int c && c >= 0 && c < question.Options.Count ? question.Options[c] : null;
            var rightButton = buttons.FirstOrDefault(b => correct is not null && Normalize(b.Text) == Normalize(correct))
                ?? buttons.FirstOrDefault(b => question.CorrectOption is int i && b.CallbackData!.EndsWith($":{i}", StringComparison.Ordinal));
            var wrongButtons = buttons.Where(b => b != rightButton).ToList();
            var button = right && rightButton is not null ? rightButton
                : wrongButtons.Count > 0 ? wrongButtons[_random.Next(wrongButtons.Count)] : rightButton!;
            _simulator.PressButton(p.User, prompt!.MessageId, button.CallbackData!);
            _buttons++;
            if (!isDouble) { if (button == rightButton) _right++; else _wrong++; }
            return;
        }
        if (question.Kind == QuestionKind.MultipleChoice && !isDouble && !played.Closed)
        {
            // No keyboard to press (the bot said something else): a real user gives up here.
            _gaveUp++;
            return;
        }
        var text = right ? RightText(question) : WrongText(question);
        if (right && text.Variant) _variants++;
        if (!isDouble) { if (right) _right++; else _wrong++; }
        _simulator.SendText(p.User, text.Text);
    }

    (string Text, bool Variant) RightText(CrowdQuestion question)
    {
        switch (question.Kind)
        {
            case QuestionKind.Numeric when question.NumericAnswer is { } value:
                var number = value.ToString(CultureInfo.InvariantCulture);
                if (_random.NextDouble() >= VariantShare) return (number, false);
                var tolerance = question.Tolerance ?? 0;
                return _random.Next(3) switch
                {
                    0 when tolerance > 0 => ((value + tolerance / 2).ToString(CultureInfo.InvariantCulture), true),
                    1 => ($" {number} ", true),
                    _ => (value % 1 == 0 ? $"{number}.0" : $" {number}", true),
                };
            case QuestionKind.MultipleChoice when question.CorrectOption is int i && i < question.Options.Count:
                return (question.Options[i], false);
            default:
                if (question.AcceptedAnswers.Count == 0) return ("?", false);
                var answer = question.AcceptedAnswers[_random.Next(question.AcceptedAnswers.Count)];
                if (_random.NextDouble() >= VariantShare) return (answer, false);
                var variant = Variant(answer);
                return (variant, variant != answer);
        }
    }

    string Variant(string answer) => _random.Next(5) switch
    {
        0 => answer.ToUpperInvariant(),
        1 => answer.Length > 0 ? char.ToUpperInvariant(answer[0]) + answer[1..] + "." : answer,
        2 => $"  {answer}!",
        3 => ToggleAccent(answer),
        _ => answer.ToLowerInvariant() + "?",
    };

    static string ToggleAccent(string answer)
    {
        var decomposed = answer.Normalize(NormalizationForm.FormD);
        var stripped = new string([.. decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)]).Normalize(NormalizationForm.FormC);
        if (stripped != answer) return stripped;
        var chars = answer.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            var accented = chars[i] switch { 'a' => 'à', 'e' => 'è', 'i' => 'ì', 'o' => 'ò', 'u' => 'ù', 'A' => 'À', 'E' => 'È', _ => chars[i] };
            if (accented != chars[i]) { chars[i] = accented; return new string(chars); }
        }
        return answer.ToUpperInvariant();
    }

    (string Text, bool Variant) WrongText(CrowdQuestion question)
    {
        if (question.Kind == QuestionKind.Numeric && question.NumericAnswer is { } value)
            return ((value + (question.Tolerance ?? 0) + 1 + _random.Next(1, 50)).ToString(CultureInfo.InvariantCulture), false);
        var accepted = question.AcceptedAnswers.Select(Normalize).ToHashSet();
        if (question.Kind == QuestionKind.MultipleChoice && question.Options.Count > 1)
            accepted.Add(Normalize(question.CorrectAnswerText()));
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var guess = _random.NextDouble() < 0.2 && question.AcceptedAnswers.Count > 0
                ? new string([.. question.AcceptedAnswers[0].Reverse()]) + "x"
                : CrowdNames.WrongAnswers[_random.Next(CrowdNames.WrongAnswers.Length)];
            if (!accepted.Contains(Normalize(guess))) return (guess, false);
        }
        return ("no idea at all", false);
    }

    /// <summary>Roughly how the bot compares answers: case, accents, spaces and punctuation do not count.</summary>
    internal static string Normalize(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (char.IsLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
        return builder.ToString();
    }

    /// <summary>
    /// Sends <paramref name="text"/> and continues with the bot's reply once it came: the first reply, or with
    /// <paramref name="expect"/> the first that fits (a keyboard to press; an acknowledgement of an earlier answer
    /// may arrive first). Gives up after a while, as people do.
    /// </summary>
    void Say(Participant p, string text, Action<SimMessage> then, Func<SimMessage, bool>? expect = null)
    {
        // The replies come after the message sent, by id: the simulator drops a chat's oldest entries while a participant waits.
        var before = _simulator.SendText(p.User, text).Message!.Id;
        var deadline = _time.GetUtcNow() + ReplyPatience;
        void Check()
        {
            var fresh = _simulator.BotMessages(p.User.Id).Where(m => m.MessageId > before).ToList();
            var reply = expect is null ? fresh.FirstOrDefault() : fresh.LastOrDefault(expect);
            if (reply is not null) then(reply);
            else if (_time.GetUtcNow() < deadline) After(p, ReplyCheck, Check);
            else if (fresh.Count > 0) then(fresh[^1]);
            else _gaveUp++;
        }
        After(p, ReplyCheck, Check);
    }

    void After(Participant p, TimeSpan delay, Action step)
    {
        _steps.Enqueue(() =>
        {
            if (!p.Active || !IsRunning) return;
            try { step(); }
            catch (InvalidOperationException) { _gaveUp++; } // the button to press is gone
        }, (_time.GetUtcNow() + delay, _sequence++));
    }

    TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds / Pace);

    double Exponential(double mean) => -mean * Math.Log(1 - _random.NextDouble());

    sealed class Participant(SimUser user)
    {
        public SimUser User { get; } = user;
        public double Speed { get; init; }
        public double Skill { get; init; }
        public string? Team { get; init; }
        public int? HeadCount { get; init; }
        public bool Registered { get; set; }
        public bool Registering { get; set; }
        public bool Active { get; set; } = true;
    }

    sealed class PlayedQuestion(CrowdQuestion question)
    {
        public CrowdQuestion Question { get; } = question;
        public HashSet<long> Playing { get; } = [];
        public List<(Participant Participant, int PromptMessageId)> Late { get; } = [];
        public bool Closed { get; set; }
    }
}

static class CrowdQuestionExtensions
{
    public static string CorrectAnswerText(this CrowdQuestion question) => question.Kind switch
    {
        QuestionKind.MultipleChoice when question.CorrectOption is int i && i >= 0 && i < question.Options.Count => question.Options[i],
        QuestionKind.Numeric => question.NumericAnswer?.ToString(CultureInfo.InvariantCulture) ?? "",
        _ => question.AcceptedAnswers.FirstOrDefault() ?? "",
    };
}
