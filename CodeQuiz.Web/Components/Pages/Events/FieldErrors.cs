namespace CodeQuiz.Web.Components.Pages.Events;

/// <summary>The catalog's field errors (keyed by the API's camelCase field names), looked up by the form that shows them.</summary>
public sealed class FieldErrors
{
    IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public bool Any => _errors.Count > 0;

    public void Set(IReadOnlyDictionary<string, string[]> errors) => _errors = errors;

    public void Clear() => _errors = new Dictionary<string, string[]>();

    /// <summary>The field was changed since its error was found: the error may no longer hold, and the next save says.</summary>
    public void Forget(string field)
    {
        if (_errors.ContainsKey(field))
            _errors = _errors.Where(e => e.Key != field).ToDictionary();
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? Text(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    /// <summary>Errors of fields no input shows (so none is silently lost).</summary>
    public IEnumerable<string> Except(params string[] shown) =>
        _errors.Where(e => !shown.Contains(e.Key)).SelectMany(e => e.Value);
}
