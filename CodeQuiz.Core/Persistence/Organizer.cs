using Microsoft.AspNetCore.Identity;

namespace CodeQuiz.Core.Persistence;

/// <summary>A person who runs events from the console.</summary>
public class Organizer : IdentityUser;
