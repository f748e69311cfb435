using System.Runtime.CompilerServices;
using CodeQuiz.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// The test process registers the app's database, as the app does at start, before any test opens a SQLite connection: so
/// the library runs as it does in production, and whether the registration configures it is known in every run.
/// </summary>
static class SqliteLibrarySetup
{
    [ModuleInitializer]
    internal static void Initialize() =>
        new ServiceCollection().AddQuizDatabase(new DatabaseOptions(), Path.GetTempPath()); // registers only: opens nothing
}
