using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;
using CodeQuiz.Core.Persistence;
using CodeQuiz.Core.Quizzes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CodeQuiz.Tests.Core.Persistence;

/// <summary>
/// No SQL Server runs here, so the SQL that only SQL Server executes is read with Microsoft's T-SQL parser
/// (SQL Server 2019 grammar), and every table and column it names through a table is looked up in the SQL Server model.
/// </summary>
public sealed class SqlServerSqlTests : IDisposable
{
    readonly SqlServerQuizDbContext _db = new(new DbContextOptionsBuilder<SqlServerQuizDbContext>()
        .UseSqlServer("Server=nowhere.invalid;Database=CodeQuiz;User Id=x;Password=y;TrustServerCertificate=True").Options);

    public void Dispose() => _db.Dispose();

    /// <summary>Every SQL text of the batch writer, found by reflection so that a new one cannot be left out.</summary>
    public static TheoryData<string, string> BatchStatements
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var constant in typeof(BatchCommands).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                         .Where(f => f.IsLiteral && f.Name.EndsWith("Sql", StringComparison.Ordinal)))
                data.Add(constant.Name, (string)constant.GetRawConstantValue()!);
            return data;
        }
    }

    [Fact]
    public void EveryBatchStatementIsChecked() =>
        Assert.Contains(nameof(BatchCommands.StartOverPostsSql), BatchStatements.Select(row => (string)row[0]));

    [Theory]
    [MemberData(nameof(BatchStatements))]
    public void TheBatchWritersStatementsAreTSqlOverTheModelsColumns(string name, string sql)
    {
        var names = Names.Of(Parse(sql));
        Assert.True(names.Columns.Count > 0, $"{name}: no column found");
        AssertInModel(names, name);
    }

    [Fact]
    public async Task EveryBatchStatementOnSqlServerCountsItsRowsWhateverTheServersDefault()
    {
        // A repeat is told from a new update by the rows its insert affected: with NOCOUNT on, every update would be a repeat.
        await using var commands = new AdoBatchCommands(_db.Database.GetDbConnection(), sqlite: false);
        var texts = commands.All.Select(c => c.CommandText).ToList();
        Assert.Equal(BatchStatements.Count, texts.Count);
        foreach (var text in texts)
        {
            Assert.StartsWith(AdoBatchCommands.RowCountsOn, text);
            var statements = Parse(text).Batches.Single().Statements;
            Assert.Equal(2, statements.Count);
            Assert.IsType<PredicateSetStatement>(statements[0]);
        }
    }

    [Theory]
    [InlineData(ScoringMode.CorrectThenDelay, false)]
    [InlineData(ScoringMode.SpeedPoints, false)]
    [InlineData(ScoringMode.CorrectThenDelay, true)]
    [InlineData(ScoringMode.SpeedPoints, true)]
    public void TheLeaderboardIsTSqlOverTheModelsColumns(ScoringMode mode, bool rightOnly)
    {
        // SqlQueryRaw turns {0} and {1} into parameters.
        var sql = QuizResults.LeaderboardSqlFor(_db, mode, rightOnly).Replace("{0}", "@p0").Replace("{1}", "@p1");
        var names = Names.Of(Parse(sql));
        Assert.Equal(["Answers", "Participants", "Questions"], names.Tables.Order().ToArray());
        Assert.Contains(("Questions", "OpenedAt"), names.Columns);
        AssertInModel(names, "leaderboard");
    }

    [Fact]
    public void EachProvidersMigrationsMatchTheModel()
    {
        // A model change without its migrations would pass every SQLite test (they migrate from the same model) and fail
        // at the first start on an existing database.
        using var sqlite = new SqliteQuizDbContext(new DbContextOptionsBuilder<SqliteQuizDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "the SQLite migrations lag behind the model: dotnet ef migrations add");
        Assert.False(_db.Database.HasPendingModelChanges(), "the SQL Server migrations lag behind the model: dotnet ef migrations add");
    }

    [Fact]
    public void EveryMigrationRunsInsideItsTransaction()
    {
        // EF Core runs a step it must keep out of the transaction on its own: a stop right after it would leave the
        // database half moved on. The SQLite migrations are run with that warning made an error (MigrationDataTests).
        var migrations = _db.GetService<IMigrationsAssembly>();
        var generator = _db.GetService<IMigrationsSqlGenerator>();
        var initializer = _db.GetService<IModelRuntimeInitializer>();
        var outside = migrations.Migrations.SelectMany(m =>
        {
            var migration = migrations.CreateMigration(m.Value, _db.Database.ProviderName!);
            var model = migration.TargetModel is { } target ? initializer.Initialize(target, designTime: true, validationLogger: null) : null;
            return generator.Generate(migration.UpOperations, model).Where(c => c.TransactionSuppressed).Select(c => $"{m.Key}: {c.CommandText.Trim()}");
        }).ToList();
        Assert.True(migrations.Migrations.Count > 10);
        Assert.Empty(outside);
    }

    [Fact]
    public void TheIdempotentMigrationScriptIsTSql()
    {
        var script = Parse(_db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent));
        var created = script.Batches.SelectMany(b => b.Statements).SelectMany(Descendants).OfType<CreateTableStatement>()
            .Select(t => t.SchemaObjectName.BaseIdentifier.Value).ToHashSet();
        foreach (var table in _db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>())
            Assert.Contains(table, created);
    }

    [Fact]
    public void TheIdempotentScriptUsesAColumnOnlyInTheBatchAfterTheOneThatAddsIt()
    {
        // SQL Server compiles a whole batch before running it: an UPDATE of a column that an ALTER TABLE in the same batch
        // adds fails with "Invalid column name" (a migration's data fix goes through EXEC, compiled when it runs).
        var script = Parse(_db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent));
        var checkedBatches = 0;
        foreach (var batch in script.Batches)
        {
            var fragments = Descendants(batch).ToList();
            var added = fragments.OfType<AlterTableAddTableElementStatement>()
                .SelectMany(a => a.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value))
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (added.Count == 0) continue;
            checkedBatches++;
            var used = fragments.Where(f => f is DataModificationStatement or SelectStatement)
                .SelectMany(Descendants).OfType<ColumnReferenceExpression>()
                .Select(c => c.MultiPartIdentifier?.Identifiers[^1].Value)
                .OfType<string>()
                .Where(added.Contains)
                .ToList();
            Assert.True(used.Count == 0, $"used in the batch that adds it: {string.Join(", ", used.Distinct())}");
        }
        Assert.True(checkedBatches > 0, "no migration adds a column");
    }

    [Fact]
    public void TheResultsQueriesAreTSql()
    {
        Parse(QuizResults.CountsQuery(_db, 1).ToQueryString());
        Parse(QuizResults.RankingQuery(_db, 1, 0, 10).ToQueryString());
        Parse(QuizResults.DistributionQuery(_db, 1).ToQueryString());
        Parse(QuizResults.RightTextsQuery(_db, 1).ToQueryString());
        Parse(QuizResults.OptionCountsQuery(_db, 1).ToQueryString());
        Parse(QuizResults.AnswerRowsQuery(_db, 1, 0, QuizResults.AnswersCsvChunk).ToQueryString());
        Parse(QuizResults.NamesQuery(_db, [1, 2, 3], rankedOnly: true).ToQueryString());
    }

    [Fact]
    public void TheLivePagesSendingErrorsAreTSql()
    {
        var since = DateTimeOffset.UtcNow;
        foreach (var sql in new[]
                 {
                     SendingFailures.GoneQuery(_db, since).ToQueryString(),
                     SendingFailures.OthersQuery(_db, since).ToQueryString(),
                     SendingFailures.LatestQuery(_db, since, 5).ToQueryString(),
                 })
            AssertInModel(Names.Of(Parse(sql)), sql);
    }

    [Fact]
    public void TheSendersReadOfDueMessagesSkipsThousandsOfChatsWithinSqlServersParameterLimit()
    {
        // A big event's round meets thousands of chats; SQL Server refuses a command of more than 2,100 parameters, so the
        // list must go as one (EF sends a long list as a JSON array).
        var last = new CodeQuiz.Core.Outbox.OutboxMessage { ChatId = "1", Text = "", Priority = 1, Id = 7 };
        var chats = Enumerable.Range(1, 3_000).Select(i => (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var command = CodeQuiz.Core.Outbox.OutboxSender.WaitingBut(_db, last.Priority, last.Id, 900, chats).Take(120).CreateDbCommand();
        Assert.InRange(command.Parameters.Count, 1, 20);
        Parse(command.CommandText);
    }

    [Fact]
    public void TheSendersQueriesAreTSql()
    {
        var last = new CodeQuiz.Core.Outbox.OutboxMessage { ChatId = "1", Text = "", Priority = 1, Id = 7 };
        foreach (var sql in new[]
                 {
                     CodeQuiz.Core.Outbox.OutboxSender.ResultsPostQuery(_db, 1, before: 9).Take(1).ToQueryString(),
                     CodeQuiz.Core.Outbox.OutboxSender.WaitingBut(_db, last.Priority, last.Id, 900, ["111", "@codeweek"]).Take(120).ToQueryString(),
                 })
            AssertInModel(Names.Of(Parse(sql)), sql);
    }

    [Fact]
    public void TheStartUpCheckOfDelayedDurabilityIsTSqlAndRefusesOnlyAForcedDatabase()
    {
        var select = Assert.IsType<SelectStatement>(Parse(PersistenceExtensions.DelayedDurabilitySql).Batches.Single().Statements.Single());
        var column = Assert.IsType<SelectScalarExpression>(Assert.Single(((QuerySpecification)select.QueryExpression).SelectElements));
        Assert.Equal("Value", column.ColumnName.Value); // what SqlQueryRaw<int> reads

        Assert.Null(PersistenceExtensions.DurabilityMistake(0, "CodeQuiz")); // disabled, SQL Server's default
        Assert.Null(PersistenceExtensions.DurabilityMistake(1, "CodeQuiz")); // allowed: CodeQuiz's commits never ask for it
        var forced = PersistenceExtensions.DurabilityMistake(2, "CodeQuiz");
        Assert.NotNull(forced);
        Assert.Contains("CodeQuiz has DELAYED_DURABILITY = FORCED", forced);
        Assert.Contains("SET DELAYED_DURABILITY = DISABLED", forced);
    }

    [Fact]
    public void AMistakeIsCaught()
    {
        // The checks themselves: a syntax error and an unknown column both fail.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Parse("INSERT INTO Answers (QuestionId VALUES (@q)"));
        var names = Names.Of(Parse("UPDATE Questions SET Stat = @state WHERE Id = @id"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertInModel(names, "typo"));
    }

    static TSqlScript Parse(string sql)
    {
        var parser = new TSql150Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var script = (TSqlScript)parser.Parse(reader, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")) + "\n" + sql);
        return script;
    }

    void AssertInModel(Names names, string what)
    {
        var columns = _db.Model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null)
            .GroupBy(e => e.GetTableName()!)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.GetProperties()).Select(p => p.GetColumnName()).ToHashSet());
        foreach (var table in names.Tables)
            Assert.True(columns.ContainsKey(table), $"{what}: the model has no table {table}");
        foreach (var (table, column) in names.Columns)
            Assert.True(columns[table].Contains(column), $"{what}: the model's {table} has no column {column}");
    }

    static IEnumerable<TSqlFragment> Descendants(TSqlFragment fragment)
    {
        var all = new List<TSqlFragment>();
        fragment.Accept(new Collector(all));
        return all;
    }

    sealed class Collector(List<TSqlFragment> all) : TSqlFragmentVisitor
    {
        public override void Visit(TSqlFragment fragment) => all.Add(fragment);
    }

    /// <summary>
    /// The tables a statement names and the columns it takes from them: qualified by a table's alias, or unqualified in
    /// a statement over one table. Columns of derived tables and common table expressions (their own aliases) are not the
    /// model's and are left out.
    /// </summary>
    sealed record Names(HashSet<string> Tables, HashSet<(string Table, string Column)> Columns)
    {
        public static Names Of(TSqlScript script)
        {
            var names = new Names([], []);
            foreach (var statement in script.Batches.SelectMany(b => b.Statements))
            {
                var fragments = Descendants(statement).ToList();
                // A common table expression is the statement's own, like a derived table, not one of the model's.
                var ctes = fragments.OfType<CommonTableExpression>().Select(c => c.ExpressionName.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var tables = fragments.OfType<NamedTableReference>().Where(t => !ctes.Contains(t.SchemaObject.BaseIdentifier.Value)).ToList();
                var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var t in tables)
                    aliases[t.Alias?.Value ?? t.SchemaObject.BaseIdentifier.Value] = t.SchemaObject.BaseIdentifier.Value; // a table named twice: one entry
                names.Tables.UnionWith(aliases.Values);
                var single = aliases.Values.Distinct().Count() == 1 ? aliases.Values.First() : null;
                foreach (var column in fragments.OfType<ColumnReferenceExpression>())
                {
                    if (column.MultiPartIdentifier is not { Identifiers: var parts }) continue; // *
                    var table = parts.Count == 1 ? single : aliases.GetValueOrDefault(parts[^2].Value);
                    if (table is not null) names.Columns.Add((table, parts[^1].Value));
                }
            }
            return names;
        }
    }
}
