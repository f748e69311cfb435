namespace CodeQuiz.Core.Quizzes;

public enum CatalogOutcome { Done, Invalid, NotFound, Conflict }

/// <summary>
/// What a catalog change came to. <see cref="Errors"/> maps a field (the API's camelCase name, or
/// "line N" or "file" for a CSV import) to its messages, so the console can show them at the field and the
/// API can return them as validation problem details.
/// </summary>
public sealed record CatalogResult<T>(CatalogOutcome Outcome, T? Value, IReadOnlyDictionary<string, string[]> Errors, string? Message)
{
    public bool Succeeded => Outcome == CatalogOutcome.Done;
}

public static class CatalogResult
{
    static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static CatalogResult<T> Done<T>(T value) => new(CatalogOutcome.Done, value, NoErrors, null);

    public static CatalogResult<T> Invalid<T>(IReadOnlyDictionary<string, string[]> errors) =>
        new(CatalogOutcome.Invalid, default, errors, "Some fields are not valid.");

    public static CatalogResult<T> Invalid<T>(string field, string message) =>
        Invalid<T>(new Dictionary<string, string[]> { [field] = [message] });

    public static CatalogResult<T> NotFound<T>(string message) => new(CatalogOutcome.NotFound, default, NoErrors, message);

    public static CatalogResult<T> Conflict<T>(string message) => new(CatalogOutcome.Conflict, default, NoErrors, message);
}
