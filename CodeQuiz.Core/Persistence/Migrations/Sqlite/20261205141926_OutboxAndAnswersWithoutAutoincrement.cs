using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OutboxAndAnswersWithoutAutoincrement : Migration
    {
        const string OutboxColumns =
            "\"Id\", \"Method\", \"Purpose\", \"Priority\", \"ChatId\", \"Text\", \"ReplyMarkupJson\", \"MessageId\", \"CallbackQueryId\", " +
            "\"QuestionId\", \"Status\", \"Attempts\", \"CreatedAt\", \"NotBefore\", \"SentAt\", \"LastError\"";

        const string AnswerColumns =
            "\"Id\", \"AnsweredAt\", \"IsCorrect\", \"IsLate\", \"OptionIndex\", \"ParticipantId\", \"People\", \"QuestionId\", \"Text\", \"UpdateId\"";

        /// <summary>
        /// The outbox's and the answers' tables rebuilt without <c>AUTOINCREMENT</c>, which keeps each table's highest id ever
        /// given in <c>sqlite_sequence</c>, read and written again by every insert: one more page in every commit of the hot
        /// path. Their ids become SQLite's plain rowids (the highest id in the table plus one). Nothing refers to an answer's
        /// id; the batch writer numbers the outbox's rows itself, so that none is given an id again while it runs. Rows keep
        /// their ids. The model does not change (EF Core 10 can switch <c>AUTOINCREMENT</c> off in the model, but neither keeps
        /// that in its snapshot nor leaves it out when it rebuilds a table), so the SQL is written here.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, autoincrement: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, autoincrement: true);
        }

        static void Rebuild(MigrationBuilder migrationBuilder, bool autoincrement)
        {
            var key = autoincrement ? " AUTOINCREMENT" : "";
            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_OutboxMessages" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_OutboxMessages" PRIMARY KEY{key},
                    "Method" INTEGER NOT NULL,
                    "Purpose" INTEGER NOT NULL,
                    "Priority" INTEGER NOT NULL,
                    "ChatId" TEXT NOT NULL,
                    "Text" TEXT NULL,
                    "ReplyMarkupJson" TEXT NULL,
                    "MessageId" INTEGER NULL,
                    "CallbackQueryId" TEXT NULL,
                    "QuestionId" INTEGER NULL,
                    "Status" INTEGER NOT NULL,
                    "Attempts" INTEGER NOT NULL,
                    "CreatedAt" INTEGER NOT NULL,
                    "NotBefore" INTEGER NOT NULL,
                    "SentAt" INTEGER NULL,
                    "LastError" TEXT NULL
                );
                """);
            migrationBuilder.Sql($"INSERT INTO \"ef_temp_OutboxMessages\" ({OutboxColumns}) SELECT {OutboxColumns} FROM \"OutboxMessages\" ORDER BY \"Id\";");
            migrationBuilder.Sql("DROP TABLE \"OutboxMessages\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_OutboxMessages\" RENAME TO \"OutboxMessages\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_OutboxMessages_QuestionId\" ON \"OutboxMessages\" (\"QuestionId\") WHERE QuestionId IS NOT NULL;");
            migrationBuilder.Sql("CREATE INDEX \"IX_OutboxMessages_Failed\" ON \"OutboxMessages\" (\"Id\") WHERE Status = 2;");
            migrationBuilder.Sql("CREATE INDEX \"IX_OutboxMessages_Pending0\" ON \"OutboxMessages\" (\"Id\") WHERE Status = 0 AND Priority = 0;");
            migrationBuilder.Sql("CREATE INDEX \"IX_OutboxMessages_Pending3\" ON \"OutboxMessages\" (\"Id\") WHERE Status = 0 AND Priority = 3;");

            migrationBuilder.Sql($"""
                CREATE TABLE "ef_temp_Answers" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Answers" PRIMARY KEY{key},
                    "AnsweredAt" INTEGER NOT NULL,
                    "IsCorrect" INTEGER NOT NULL,
                    "IsLate" INTEGER NOT NULL,
                    "OptionIndex" INTEGER NULL,
                    "ParticipantId" INTEGER NOT NULL,
                    "People" INTEGER NOT NULL,
                    "QuestionId" INTEGER NOT NULL,
                    "Text" TEXT NOT NULL,
                    "UpdateId" INTEGER NOT NULL,
                    CONSTRAINT "FK_Answers_Questions_QuestionId" FOREIGN KEY ("QuestionId") REFERENCES "Questions" ("Id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql($"INSERT INTO \"ef_temp_Answers\" ({AnswerColumns}) SELECT {AnswerColumns} FROM \"Answers\" ORDER BY \"Id\";");
            migrationBuilder.Sql("DROP TABLE \"Answers\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_Answers\" RENAME TO \"Answers\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_Answers_QuestionId_UpdateId\" ON \"Answers\" (\"QuestionId\", \"UpdateId\");");
        }
    }
}
