using System.Globalization;
using System.Text;

namespace CodeQuiz.Bench;

public enum StepKind { Start, TextAnswer, ChoiceStart, ChoiceAnswer }

/// <summary>
/// Telegram updates as a crowd sends them: each new user scans the free-text question's QR code
/// (/start CODE), types an answer, scans the multiple-choice question's code and presses a button.
/// update_ids are handed out when an update is sent, as Telegram numbers updates when it receives them.
/// </summary>
public sealed class Traffic(BenchQuiz quiz, string choiceMarkupJson, string[] choiceData)
{
    public static readonly StepKind[] Script = [StepKind.Start, StepKind.TextAnswer, StepKind.ChoiceStart, StepKind.ChoiceAnswer];

    static readonly string[] FirstNames = ["Giulia", "Luca", "Ada", "Linus", "Grace", "Ken", "Barbara", "Dennis", "Margaret", "Zoë", "Björn", "Tom & Jerry", "<b>Bob</b>", "Анна", "Ana María"];
    static readonly string[] LastNames = ["Rossi", "Lovelace", "Hopper", "Thompson", "Liskov", "Ritchie", "Hamilton", "Nygaard", "O'Neil", "", "Müller"];
    static readonly string[] RightAnswers = ["Go", "go", " GO! ", "golang", "Go."];
    static readonly string[] WrongAnswers = ["Rust", "python", "C#", "Erlang <3", "java & kotlin"];
    static readonly byte[][] Malformed =
    [
        "{ this is not json"u8.ToArray(),
        """{"update_id": "many"}"""u8.ToArray(),
        """{"message": {"text": "no update id"}}"""u8.ToArray(),
        "[1,2,3]"u8.ToArray(),
    ];

    long _users;
    long _nextUpdate = 600_000_000;

    public BenchQuiz Quiz => quiz;

    /// <summary>
    /// A new user's Telegram id. A crowd's ids are scattered over Telegram's range, not consecutive: the participants'
    /// rows and the answers' index are keyed by them, so consecutive ids would only ever append to their last pages and
    /// spare the database the scattered page writes a real event makes. The n-th user gets n times an odd constant
    /// modulo 2³² (no two of the first 2³² users share an id), above the ids the benchmark seeds and probes with (all
    /// under 10⁹).
    /// </summary>
    public long NewUser() => UserId(Interlocked.Increment(ref _users));

    static long UserId(long n) => 1_000_000_000 + (long)(uint)((ulong)n * 2_654_435_761UL);

    public long NextUpdateId() => Interlocked.Increment(ref _nextUpdate);

    /// <summary>Starts update ids above what an earlier run of this traffic used.</summary>
    public void SkipUpdateIdsTo(long next) => Interlocked.Exchange(ref _nextUpdate, next);

    public static byte[] MalformedBody(Random random) => Malformed[random.Next(Malformed.Length)];

    public static string FirstName(long user) => FirstNames[(int)(user % FirstNames.Length)];
    public static string LastName(long user) => LastNames[(int)(user / 7 % LastNames.Length)];

    public static bool IsAnswer(StepKind kind) => kind is StepKind.TextAnswer or StepKind.ChoiceAnswer;

    public byte[] Build(StepKind kind, long user, long updateId, Random random)
    {
        var date = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var messageId = (int)(updateId % 1_000_000) + 1;
        return kind switch
        {
            StepKind.Start => Message(updateId, user, messageId, date, "/start " + quiz.Text.Code, command: true),
            StepKind.TextAnswer => Message(updateId, user, messageId, date,
                random.Next(10) < 7 ? RightAnswers[random.Next(RightAnswers.Length)] : WrongAnswers[random.Next(WrongAnswers.Length)], command: false),
            StepKind.ChoiceStart => Message(updateId, user, messageId, date, "/start " + quiz.Choice.Code, command: true),
            StepKind.ChoiceAnswer => Callback(updateId, user, messageId, date, choiceData[random.Next(10) < 6 ? 0 : random.Next(choiceData.Length)]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    static void From(StringBuilder s, long user)
    {
        var last = LastName(user);
        s.Append(CultureInfo.InvariantCulture, $$"""{"id":{{user}},"is_bot":false,"first_name":{{Json(FirstName(user))}}""");
        if (last.Length > 0) s.Append(",\"last_name\":").Append(Json(last));
        s.Append(CultureInfo.InvariantCulture, $$""","username":"user{{user}}","language_code":"{{(user % 3 == 0 ? "it" : "en")}}"}""");
    }

    static void Chat(StringBuilder s, long user)
    {
        var last = LastName(user);
        s.Append(CultureInfo.InvariantCulture, $$"""{"id":{{user}},"first_name":{{Json(FirstName(user))}}""");
        if (last.Length > 0) s.Append(",\"last_name\":").Append(Json(last));
        s.Append(CultureInfo.InvariantCulture, $$""","username":"user{{user}}","type":"private"}""");
    }

    static byte[] Message(long updateId, long user, int messageId, long date, string text, bool command)
    {
        var s = new StringBuilder(512);
        s.Append(CultureInfo.InvariantCulture, $$"""{"update_id":{{updateId}},"message":{"message_id":{{messageId}},"from":""");
        From(s, user);
        s.Append(",\"chat\":");
        Chat(s, user);
        s.Append(CultureInfo.InvariantCulture, $$""","date":{{date}},"text":{{Json(text)}}""");
        if (command) s.Append(""","entities":[{"offset":0,"length":6,"type":"bot_command"}]""");
        s.Append("}}");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    byte[] Callback(long updateId, long user, int messageId, long date, string data)
    {
        var s = new StringBuilder(1024);
        s.Append(CultureInfo.InvariantCulture, $$"""{"update_id":{{updateId}},"callback_query":{"id":"{{updateId * 7919}}","from":""");
        From(s, user);
        s.Append(CultureInfo.InvariantCulture, $$""","message":{"message_id":{{messageId}},"from":{"id":{{FakeBotApi.BotId}},"is_bot":true,"first_name":"CodeQuiz Bench","username":"{{FakeBotApi.BotUsername}}"},"chat":""");
        Chat(s, user);
        s.Append(CultureInfo.InvariantCulture, $$""","date":{{date - 2}},"text":"Question 2: Which loop prints 3 times?","reply_markup":{{choiceMarkupJson}}},"chat_instance":"-{{user * 31}}","data":""");
        s.Append(Json(data)).Append("}}");
        return Encoding.UTF8.GetBytes(s.ToString());
    }

    static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>
    /// The same crowd as a getUpdates backlog: <paramref name="lanes"/> users at a time, their updates interleaved
    /// as Telegram would receive them, numbered in that order.
    /// </summary>
    public List<(long Id, byte[] Body, StepKind Kind)> Backlog(int count, int lanes, Random random)
    {
        var backlog = new List<(long, byte[], StepKind)>(count);
        var users = new long[lanes];
        var steps = new int[lanes];
        for (var i = 0; i < lanes; i++) users[i] = NewUser();
        while (backlog.Count < count)
        {
            var lane = random.Next(lanes);
            var id = NextUpdateId();
            backlog.Add((id, Build(Script[steps[lane]], users[lane], id, random), Script[steps[lane]]));
            if (++steps[lane] == Script.Length)
            {
                steps[lane] = 0;
                users[lane] = NewUser();
            }
        }
        return backlog;
    }
}
