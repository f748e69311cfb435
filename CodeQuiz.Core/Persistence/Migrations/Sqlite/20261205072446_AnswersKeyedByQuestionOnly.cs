using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnswersKeyedByQuestionOnly : Migration
    {
        /// <summary>
        /// The answers lose the foreign key to the participants and the index led by the participant. SQLite drops a foreign
        /// key only by rebuilding the table, and EF Core's own rebuild turns foreign keys off around it, which SQLite allows
        /// only outside a transaction: the migration would run as four transactions, and a stop between two of them would
        /// leave a database the next start cannot move on. Written out instead, the rebuild is one transaction. Foreign keys
        /// can stay on: no table refers to the answers, so dropping the old table deletes nothing elsewhere.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_Answers_ParticipantId_QuestionId\";");
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Answers" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Answers" PRIMARY KEY AUTOINCREMENT,
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
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_Answers" ("Id", "AnsweredAt", "IsCorrect", "IsLate", "OptionIndex", "ParticipantId", "People", "QuestionId", "Text", "UpdateId")
                SELECT "Id", "AnsweredAt", "IsCorrect", "IsLate", "OptionIndex", "ParticipantId", "People", "QuestionId", "Text", "UpdateId"
                FROM "Answers";
                """);
            migrationBuilder.Sql("DROP TABLE \"Answers\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_Answers\" RENAME TO \"Answers\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_Answers_QuestionId_UpdateId\" ON \"Answers\" (\"QuestionId\", \"UpdateId\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Answers_ParticipantId_QuestionId",
                table: "Answers",
                columns: new[] { "ParticipantId", "QuestionId" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_Answers_Participants_ParticipantId",
                table: "Answers",
                column: "ParticipantId",
                principalTable: "Participants",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
