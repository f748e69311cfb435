using System.Text.RegularExpressions;
using CodeQuiz.Core.Settings;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web;

/// <summary>Settings that stop start-up; each mistake names its setting.</summary>
public sealed partial class InvalidConfigurationException(IReadOnlyList<string> mistakes) : Exception(string.Join(Environment.NewLine, mistakes))
{
    public InvalidConfigurationException(string mistake) : this([mistake]) { }

    public IReadOnlyList<string> Mistakes { get; } = mistakes;

    /// <summary>
    /// The lines to print, one per mistake, when <paramref name="error"/> is made of configuration mistakes: ours, failed
    /// options validations, or a value the configuration binder could not convert (its message names the key); null for
    /// anything else, which must stay a crash with a stack trace.
    /// </summary>
    public static IReadOnlyList<string>? Describe(Exception error) => error switch
    {
        InvalidConfigurationException mistake => mistake.Mistakes,
        OptionsValidationException validation => [.. validation.Failures.Select(Plain)],
        InvalidOperationException when SettingsBinding.NotConverted(error.Message) is { } notConverted => [notConverted.Message],
        // Several options sections failing at start; one exception among them that is no mistake makes it all a crash.
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0
            && aggregate.InnerExceptions.Select(Describe).ToList() is var all && all.All(d => d is not null) => [.. all.SelectMany(d => d!)],
        AggregateException => null,
        { InnerException: { } inner } => Describe(inner),
        _ => null,
    };

    /// <summary>Our own message without the framework's frame around it ("DataAnnotation validation failed for … with the error: '…'").</summary>
    static string Plain(string failure) => DataAnnotationFrame().Match(failure) is { Success: true } m ? m.Groups["error"].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFrame();
}
