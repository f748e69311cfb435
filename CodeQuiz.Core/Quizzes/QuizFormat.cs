using System.Globalization;

namespace CodeQuiz.Core.Quizzes;

/// <summary>
/// How the numbers participants, organizers and the audience see are written, in one place: the console, the
/// presenter and overlay (presenter.js writes counts the same way), the bot's replies and the channel posts.
/// <list type="bullet">
/// <item>Counts have no group separator: "1299". The console and the projector speak English while the bot speaks the
/// event's language, and "1,299" in one and "1.299" in the other would each read as a decimal to the other audience.</item>
/// <item>Percentages are whole: "82%".</item>
/// <item>Delays have tenths: "4.2 s", and from a minute on "1:05.3"; in a ranking, more where two places would read the
/// same ("4.638 s", "4.643 s"). Whole seconds (time limits, extra time): "30 s".</item>
/// </list>
/// Only the decimal mark follows the language of the text around the number: "4,2 s" in the Italian bot.
/// </summary>
public static class QuizFormat
{
    /// <summary>The console's and the presenter's numbers: their texts are English.</summary>
    public static CultureInfo English => CultureInfo.InvariantCulture;

    /// <summary>The presenter's numbers for an Italian event, whose screen speaks Italian as the bot does: "4,2 s".</summary>
    public static CultureInfo Italian { get; } = CultureInfo.GetCultureInfo("it-IT");

    /// <summary>
    /// A number answer as a language writes it: "15.25", "15,25" in Italian; a whole number whole, "15" (not "15.0"),
    /// however a participant typed it.
    /// </summary>
    public static string Number(double value, CultureInfo culture)
    {
        if (value == 0)
            return "0"; // "-0" too: the audience reads no sign on zero
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        // Written out, not "2.5E-05" or "1.2345678901234568E+17", as far as a decimal holds it exactly: one rounds what
        // is below 1E-28 (double.Epsilon, 1E-30) to 0, or to fewer digits, without saying so.
        return shortest.Contains('E') && decimal.TryParse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain)
                && double.Parse(plain.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) == value
            ? plain.ToString(culture.NumberFormat)
            : value.ToString("R", culture.NumberFormat);
    }

    /// <summary>"1299".</summary>
    public static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A share from 0 to 100 as a whole percent, "82%". Never "0%" while someone was right, nor "100%" while someone
    /// was wrong: the audience takes those literally.
    /// </summary>
    public static string Percent(double percent)
    {
        var whole = (int)Math.Round(Math.Clamp(percent, 0, 100), MidpointRounding.AwayFromZero);
        if (whole == 0 && percent > 0)
            whole = 1;
        else if (whole == 100 && percent < 100)
            whole = 99;
        return Count(whole) + "%";
    }

    /// <summary>
    /// The share of <paramref name="part"/> in <paramref name="whole"/> as a whole percent, "45%" for 5 of 11: rounded once,
    /// from the counts. <see cref="PercentOf"/>'s one decimal rounded again would make it 45.5, then "46%".
    /// </summary>
    public static string Percent(int part, int whole) => Percent(whole <= 0 ? 0 : 100.0 * part / whole);

    /// <summary>
    /// The share of <paramref name="part"/> in <paramref name="whole"/> as a percent with one decimal, as results carry it
    /// (the API's percentCorrect). Kept off 0 and 100 unless exactly so: rounded to 0.0, one right answer in 2,001 would
    /// read "0%" beside a podium winner.
    /// </summary>
    public static double PercentOf(int part, int whole)
    {
        if (whole <= 0 || part <= 0) return 0;
        if (part >= whole) return 100;
        return Math.Clamp(Math.Round(100.0 * part / whole, 1), 0.1, 99.9);
    }

    /// <summary>
    /// An answer's delay, or a leaderboard's total: "4.2 s" under a minute, "1:05.3" from one on. Rounded to tenths
    /// (or <paramref name="decimals"/>) once, so 59.96 s is "1:00.0" (not "60.0 s") and 119.96 s "2:00.0" (not "1:60.0").
    /// </summary>
    public static string Delay(double seconds, CultureInfo culture, int decimals = 1)
    {
        var scale = decimals switch { 2 => 100, 3 => 1000, _ => 10 };
        var digits = scale == 10 ? 1 : decimals;
        var units = (long)Math.Round(Math.Max(0, seconds) * scale, MidpointRounding.AwayFromZero);
        var mark = culture.NumberFormat.NumberDecimalSeparator;
        var fraction = (units % scale).ToString(new string('0', digits), CultureInfo.InvariantCulture);
        var whole = units / scale;
        return whole < 60 ? $"{whole}{mark}{fraction} s" : $"{whole / 60}:{whole % 60:00}{mark}{fraction}";
    }

    /// <summary>
    /// The delays of a ranking, top to bottom, each with tenths unless a neighbour's differs and would read the same:
    /// then both get hundredths, or thousandths. 4.638 s and 4.643 s at places 1 and 2 read "4.638 s" and "4.643 s",
    /// not "4.6 s" twice, which the audience would take for a tie decided by the name. A null (no right answer) is
    /// written "–" and compared with nothing.
    /// </summary>
    public static string[] Delays(IReadOnlyList<double?> seconds, CultureInfo culture) => Delays(seconds, culture, tiers: null);

    /// <summary>
    /// The places of a question's ranking that decide how many decimals each place's delay gets: the console's ten. Every
    /// screen decides over these whatever it shows, so a 3rd place 4 ms ahead of the 4th reads "6.21 s" on the projector
    /// and in the channel, which show three places, as on the console, which shows ten.
    /// </summary>
    public const int RankingRows = QuizResults.DefaultRankingSize;

    /// <summary>
    /// The delays of a question's ranking, top to bottom, as every screen writes them: decimals decided over its first
    /// <see cref="RankingRows"/> places (those alone are written), however few a screen shows.
    /// </summary>
    public static string[] RankingDelays(IEnumerable<double> seconds, CultureInfo culture) =>
        Delays([.. seconds.Take(RankingRows).Select(s => (double?)s)], culture);

    /// <summary>
    /// How many decimals (1, 2 or 3) each of a question's first <see cref="RankingRows"/> places gets in
    /// <see cref="RankingDelays"/>: for a screen that writes the delays where it knows the language, not the neighbours.
    /// </summary>
    public static int[] RankingDecimals(IEnumerable<double> seconds) =>
        Decimals([.. seconds.Take(RankingRows).Select(s => (double?)s)], tiers: null);

    /// <summary>
    /// A leaderboard's total delays, top to bottom: as <see cref="Delays(IReadOnlyList{double?}, CultureInfo)"/>, but only
    /// neighbours with as many right answers are told apart by it (more right answers rank higher whatever the delay),
    /// and a row without a right answer has no delay ("–").
    /// </summary>
    public static string[] TotalDelays(IReadOnlyList<(int Correct, double Seconds)> rows, CultureInfo culture) =>
        Delays([.. rows.Select(r => r.Correct == 0 ? null : (double?)r.Seconds)], culture, [.. rows.Select(r => r.Correct)]);

    /// <summary>
    /// The places of an event's leaderboard that decide how many decimals each total gets: the console's hundred. The
    /// projector, which shows a few, decides over these too, so its 8th place reads as the console's 8th.
    /// </summary>
    public const int LeaderboardRows = QuizResults.DefaultLeaderboardSize;

    /// <summary>
    /// How many decimals (1, 2 or 3) each of a leaderboard's first <see cref="LeaderboardRows"/> totals gets in
    /// <see cref="TotalDelays"/>: for a screen that writes the totals where it knows the language, not the neighbours.
    /// </summary>
    public static int[] TotalDecimals(IEnumerable<(int Correct, double Seconds)> rows)
    {
        var first = rows.Take(LeaderboardRows).ToList();
        return Decimals([.. first.Select(r => r.Correct == 0 ? null : (double?)r.Seconds)], [.. first.Select(r => r.Correct)]);
    }

    static string[] Delays(IReadOnlyList<double?> seconds, CultureInfo culture, int[]? tiers)
    {
        var decimals = Decimals(seconds, tiers);
        return [.. seconds.Select((s, i) => s is { } value ? Delay(value, culture, decimals[i]) : "–")];
    }

    static int[] Decimals(IReadOnlyList<double?> seconds, int[]? tiers)
    {
        var decimals = new int[seconds.Count];
        for (var i = 0; i + 1 < seconds.Count; i++)
            if (seconds[i] is { } a && seconds[i + 1] is { } b && (tiers is null || tiers[i] == tiers[i + 1]))
            {
                var needed = DecimalsToTell(a, b);
                decimals[i] = Math.Max(decimals[i], needed);
                decimals[i + 1] = Math.Max(decimals[i + 1], needed);
            }
        // Places equal to the millisecond are written alike: "8.228 s" above "8.2 s" reads as if the lower place were faster.
        for (var i = 0; i + 1 < seconds.Count; i++)
            if (SameMillisecond(i))
                decimals[i + 1] = Math.Max(decimals[i + 1], decimals[i]);
        for (var i = seconds.Count - 2; i >= 0; i--)
            if (SameMillisecond(i))
                decimals[i] = Math.Max(decimals[i], decimals[i + 1]);
        return [.. decimals.Select(d => Math.Max(1, d))];

        bool SameMillisecond(int i) =>
            seconds[i] is { } a && seconds[i + 1] is { } b && (tiers is null || tiers[i] == tiers[i + 1]) && DecimalsToTell(a, b) == 0;
    }

    /// <summary>1, 2 or 3: the fewest decimals that write two delays differently; 0 when they are equal to the millisecond.</summary>
    static int DecimalsToTell(double a, double b)
    {
        for (var decimals = 1; decimals <= 3; decimals++)
        {
            var scale = Math.Pow(10, decimals);
            if (Math.Round(Math.Max(0, a) * scale, MidpointRounding.AwayFromZero) != Math.Round(Math.Max(0, b) * scale, MidpointRounding.AwayFromZero))
                return decimals;
        }
        return 0;
    }

    /// <summary>Whole seconds, "30 s": a time limit, the host's extra time, what is left.</summary>
    public static string Seconds(int seconds) => Count(seconds) + " s";

    /// <summary>
    /// A countdown, "1:30", in whole seconds rounded up as the bot's "30 s left" is: 0.4 s left is still "0:01", so
    /// "0:00" means time is up on the console, the projector and in Telegram alike.
    /// </summary>
    public static string Countdown(TimeSpan left)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, left.TotalSeconds));
        return $"{seconds / 60}:{seconds % 60:00}";
    }

    /// <summary>Answers a second, with tenths when there are any: "3.5".</summary>
    public static string Rate(double perSecond) => perSecond.ToString("0.#", English);
}
