using Microsoft.Extensions.Options;

namespace CodeQuiz.Web;

/// <summary>
/// Setting mistakes found while the app is put together (the database, the bot's mode), kept until start-up reports
/// them with the others instead of stopping at the first.
/// </summary>
public sealed class SettingMistakes
{
    readonly List<string> _found = [];

    public IReadOnlyList<string> Found => _found;

    public void Add(IEnumerable<string> mistakes) => _found.AddRange(mistakes);

    /// <summary>The builder's list, registered as a service for <see cref="StopOnSettingMistakes"/>.</summary>
    public static SettingMistakes Of(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(typeof(SettingMistakes), out var existing))
            return (SettingMistakes)existing;
        var mistakes = new SettingMistakes();
        builder.Properties[typeof(SettingMistakes)] = mistakes;
        builder.Services.AddSingleton(mistakes);
        return mistakes;
    }
}

public static class SettingMistakesExtensions
{
    /// <summary>
    /// Every setting mistake at once, before anything uses the settings: those found while the app was put together,
    /// then every options section checked at start (checked by the host as it starts, only the first section's would be
    /// reported, logged with a stack trace).
    /// </summary>
    public static void StopOnSettingMistakes(this WebApplication app)
    {
        var mistakes = new List<string>(app.Services.GetService<SettingMistakes>()?.Found ?? []);
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (InvalidConfigurationException.Describe(e) is { } more)
        {
            mistakes.AddRange(more);
        }
        if (mistakes.Count > 0)
            throw new InvalidConfigurationException(mistakes);
    }
}
