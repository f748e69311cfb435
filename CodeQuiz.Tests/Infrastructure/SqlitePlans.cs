using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CodeQuiz.Tests.Infrastructure;

/// <summary>
/// What SQLite's EXPLAIN QUERY PLAN says of a query, one line per step ("SCAN p", "SEARCH a USING INDEX …"): whether
/// it reads a big table whole or through an index, which is what decides its time on an event of a million answers.
/// </summary>
static class SqlitePlans
{
    public static IReadOnlyList<string> Of<T>(SqliteConnection connection, IQueryable<T> query) =>
        Of(connection, query.ToQueryString());

    /// <summary>The plan of SQL as EF's ToQueryString writes it (".param set @p 1" lines first, then the statement).</summary>
    public static IReadOnlyList<string> Of(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        var lines = sql.Split('\n');
        foreach (var set in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = set.Split(' ', 4);
            command.Parameters.AddWithValue(parts[2], parts[3].Trim().Trim('\''));
        }
        command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith('.')));
        var plan = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) plan.Add(reader.GetString(3));
        return plan;
    }
}
