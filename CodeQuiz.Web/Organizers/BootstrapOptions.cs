using System.ComponentModel.DataAnnotations;

namespace CodeQuiz.Web.Organizers;

/// <summary>The first organizer, created at start when none exists (Bootstrap:OrganizerEmail, Bootstrap:OrganizerPassword).</summary>
public sealed class BootstrapOptions : IValidatableObject
{
    public const string Section = "Bootstrap";

    public string? OrganizerEmail { get; set; }

    public string? OrganizerPassword { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(OrganizerEmail) && !string.IsNullOrEmpty(OrganizerPassword);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Checked only when given: empty (as appsettings.example.json has it) means no first organizer from the settings,
        // and EmailAddressAttribute refuses an empty string.
        if (!string.IsNullOrWhiteSpace(OrganizerEmail) && !new EmailAddressAttribute().IsValid(OrganizerEmail))
            yield return new ValidationResult("Bootstrap:OrganizerEmail must be an email address.", [nameof(OrganizerEmail)]);
        // One without the other is a half-done configuration, not a wish to skip bootstrapping.
        if (!string.IsNullOrWhiteSpace(OrganizerEmail) && string.IsNullOrEmpty(OrganizerPassword))
            yield return new ValidationResult("Bootstrap:OrganizerPassword is required when Bootstrap:OrganizerEmail is set.", [nameof(OrganizerPassword)]);
        if (string.IsNullOrWhiteSpace(OrganizerEmail) && !string.IsNullOrEmpty(OrganizerPassword))
            yield return new ValidationResult("Bootstrap:OrganizerEmail is required when Bootstrap:OrganizerPassword is set.", [nameof(OrganizerEmail)]);
    }
}
