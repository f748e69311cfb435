using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Core.Settings;

/// <summary>
/// Settings bound so that every mistake is found at once. The configuration binder stops at the first value it cannot
/// convert ("lots" for a number), which hid every other mistake of the section behind it; here that value is reported
/// in our words, the section is bound without it, and its other values are checked as usual.
/// </summary>
public static partial class SettingsBinding
{
    /// <summary>
    /// Binds <paramref name="section"/> onto <paramref name="target"/>, leaving at its default each value that cannot be
    /// converted; the mistakes, one per such value, each naming its setting.
    /// </summary>
    public static IReadOnlyList<string> BindEach(this IConfiguration configuration, string section, object target)
    {
        var values = configuration.GetSection(section).AsEnumerable()
            .Where(pair => pair.Value is not null)
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
        var mistakes = new List<string>();
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.OrdinalIgnoreCase).ToList())
            if (NotAValue(section, key, value!, target.GetType()) is { } mistake)
            {
                values.Remove(key);
                mistakes.Add(mistake);
            }
        while (true)
        {
            var readable = new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section);
            try
            {
                // A throwaway first: a bind that fails half-way has already added to the target's lists.
                readable.Bind(Activator.CreateInstance(target.GetType())!);
            }
            catch (InvalidOperationException e) when (NotConverted(e.Message) is { } mistake && values.ContainsKey(mistake.Key))
            {
                values.Remove(mistake.Key);
                mistakes.Add(mistake.Message);
                continue;
            }
            readable.Bind(target);
            return mistakes;
        }
    }

    /// <summary>
    /// A single value given to a list or a section ("Rehearsal:Channels": "@codeweekquiz", Rehearsal__RateLimits=off), which the
    /// binder skips without a word, so the setting was silently not applied; null for a key that can take a value.
    /// </summary>
    static string? NotAValue(string section, string key, string value, Type type)
    {
        if (string.IsNullOrWhiteSpace(value) || !key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
            return null; // an empty one means none, as JSON's [] does
        var name = section;
        foreach (var segment in key[(section.Length + 1)..].Split(':'))
        {
            if (IsValue(type) || IsList(type))
                return null; // a list's entries ("Rehearsal:Channels:0"), or a key below a value: the binder's own business
            if (type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not { } property)
                return null;
            name += ":" + property.Name;
            type = property.PropertyType;
        }
        if (IsList(type))
            return $"{name} is a list: give each entry a key of its own, {name}:0, {name}:1 … ({name.Replace(":", "__", StringComparison.Ordinal)}__0 … as environment variables; a JSON array in appsettings.json) (was '{value}').";
        if (!IsValue(type))
            return $"{name} is a section, not a value: set the settings in it, such as {name}:{type.GetProperties(BindingFlags.Public | BindingFlags.Instance)[0].Name} (was '{value}').";
        return null;
    }

    static bool IsValue(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);
    }

    static bool IsList(Type type) => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    /// <summary>
    /// Like BindConfiguration, with a value that cannot be converted failing validation in our words (next to the
    /// section's other mistakes) instead of throwing the binder's exception.
    /// </summary>
    public static OptionsBuilder<T> BindSettings<T>(this OptionsBuilder<T> builder, string section) where T : class
    {
        var unreadable = new ConditionalWeakTable<T, IReadOnlyList<string>>();
        builder.Configure<IConfiguration>((options, configuration) => unreadable.AddOrUpdate(options, configuration.BindEach(section, options)));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<T>>(sp => new ConfigurationChangeTokenSource<T>(builder.Name, sp.GetRequiredService<IConfiguration>()));
        return builder.ValidateEach(options => unreadable.TryGetValue(options, out var mistakes) ? mistakes : []);
    }

    /// <summary>Validation that reports every mistake <paramref name="mistakes"/> finds, each a message naming its setting.</summary>
    public static OptionsBuilder<T> ValidateEach<T>(this OptionsBuilder<T> builder, Func<T, IEnumerable<string>> mistakes) where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new EachMistake<T>(builder.Name, mistakes));
        return builder;
    }

    /// <summary>The binder's "Failed to convert configuration value …" as the setting and our message; null for any other.</summary>
    public static (string Key, string Message)? NotConverted(string binderMessage) =>
        NotConvertedMessage().Match(binderMessage) is { Success: true } m
            ? (m.Groups["key"].Value, $"{m.Groups["key"].Value} must be {Kind(m.Groups["type"].Value)} (was '{m.Groups["value"].Value}').")
            : null;

    static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex NotConvertedMessage();

    sealed class EachMistake<T>(string? name, Func<T, IEnumerable<string>> mistakes) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName)
                return ValidateOptionsResult.Skip;
            var found = mistakes(options).ToList();
            return found.Count > 0 ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
        }
    }
}
