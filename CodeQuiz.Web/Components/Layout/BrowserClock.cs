using System.Globalization;

namespace CodeQuiz.Web.Components.Layout;

/// <summary>
/// Times as the organizer's own clock shows them. The console is rendered on the server, whose time zone (UTC on most
/// cloud machines) is seldom the organizers': the layout asks the browser for its zone once the page is interactive and
/// cascades this to every page. Until the browser has answered, and where none is asked, times are in the server's zone.
/// </summary>
public sealed class BrowserClock(TimeZoneInfo zone)
{
    public static readonly BrowserClock Server = new(TimeZoneInfo.Local);

    public TimeZoneInfo Zone { get; } = zone;

    public DateTimeOffset Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    /// <summary>Telegram's dates are UTC; a date without a kind is taken as UTC too.</summary>
    public DateTimeOffset Local(DateTime time) =>
        Local(time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time));

    /// <summary>With a format such as "HH:mm:ss" or "yyyy-MM-dd HH:mm", written as is whatever the server's culture.</summary>
    public string Format(DateTimeOffset? time, string format) =>
        time is { } t ? Local(t).ToString(format, CultureInfo.InvariantCulture) : "";

    public string Format(DateTime? time, string format) =>
        time is { } t ? Local(t).ToString(format, CultureInfo.InvariantCulture) : "";
}
