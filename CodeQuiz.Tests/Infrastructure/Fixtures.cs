using Telegram.Bot;
using Telegram.Bot.Types;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>The realistic Telegram updates in Fixtures/telegram-updates.</summary>
public static class Fixtures
{
    public static string Json(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "telegram-updates", name + ".json"));

    public static Update Update(string name) =>
        System.Text.Json.JsonSerializer.Deserialize<Update>(Json(name), JsonBotAPI.Options)!;

    public static IEnumerable<string> All() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "telegram-updates"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)!;
}
