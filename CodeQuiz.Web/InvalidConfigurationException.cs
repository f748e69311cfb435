namespace CodeQuiz.Web;

/// <summary>A setting that stops start-up; the message names it.</summary>
public sealed class InvalidConfigurationException(string message) : Exception(message);
