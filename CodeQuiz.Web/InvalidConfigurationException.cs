using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CodeQuiz.Web;

/// <summary>A setting that stops start-up; the message names it.</summary>
public sealed partial class InvalidConfigurationException(string message) : Exception(message)
{
    /// <summary>
    /// The one line to print when <paramref name="error"/> is a configuration mistake: ours, a failed options
    /// validation, or a value the configuration binder could not convert (its message names the key);
    /// null for anything else, which must stay a crash with a stack trace.
    /// </summary>
    public static string? Describe(Exception error) => error switch
    {
        InvalidConfigurationException => error.Message,
        OptionsValidationException validation => string.Join(" ", validation.Failures.Select(Plain)),
        InvalidOperationException when NotConverted().Match(error.Message) is { Success: true } m =>
            $"{m.Groups["key"].Value} must be {Kind(m.Groups["type"].Value)} (was '{m.Groups["value"].Value}').",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        { InnerException: { } inner } => Describe(inner),
        _ => null,
    };

    /// <summary>Our own message without the framework's frame around it ("DataAnnotation validation failed for … with the error: '…'").</summary>
    static string Plain(string failure) => DataAnnotationFrame().Match(failure) is { Success: true } m ? m.Groups["error"].Value : failure;

    static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "a number",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:00:30",
        _ => $"a value of type {type}",
    };

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFrame();

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex NotConverted();
}
