using Microsoft.Extensions.Options;

namespace CodeQuiz.Web;

/// <summary>A setting that stops start-up; the message names it.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message)
{
    /// <summary>
    /// The one line to print when <paramref name="error"/> is a configuration mistake: ours, a failed options
    /// validation, or a value the configuration binder could not convert (its message names the key);
    /// null for anything else, which must stay a crash with a stack trace.
    /// </summary>
    public static string? Describe(Exception error) => error switch
    {
        InvalidConfigurationException or OptionsValidationException => error.Message,
        InvalidOperationException when error.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => error.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        { InnerException: { } inner } => Describe(inner),
        _ => null,
    };
}
