using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ParticipantsInArrivalOrder : Migration
    {
        /// <summary>
        /// The participants' table rebuilt without a key on the Telegram id: rows go by SQLite's rowid, in the order
        /// participants arrive, and nothing keyed by a Telegram id is written when someone new joins (a crowd's ids are
        /// scattered, and each would land on a page of its own). The model keeps Id as its key; the batch writer keeps
        /// it unique. Existing rows are copied in the order they joined.
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Participants" (
                    "Id" INTEGER NOT NULL,
                    "FirstName" TEXT NOT NULL,
                    "LastName" TEXT NULL,
                    "Username" TEXT NULL,
                    "LanguageCode" TEXT NULL,
                    "TeamName" TEXT NULL,
                    "HeadCount" INTEGER NULL,
                    "Registration" INTEGER NOT NULL,
                    "CurrentQuestionId" INTEGER NULL,
                    "CreatedAt" INTEGER NOT NULL,
                    "LeftOutAt" INTEGER NULL
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_Participants" ("Id", "FirstName", "LastName", "Username", "LanguageCode", "TeamName", "HeadCount", "Registration", "CurrentQuestionId", "CreatedAt", "LeftOutAt")
                SELECT "Id", "FirstName", "LastName", "Username", "LanguageCode", "TeamName", "HeadCount", "Registration", "CurrentQuestionId", "CreatedAt", "LeftOutAt" FROM "Participants" ORDER BY "CreatedAt", "Id";
                """);
            migrationBuilder.Sql("DROP TABLE \"Participants\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_Participants\" RENAME TO \"Participants\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Participants" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Participants" PRIMARY KEY,
                    "FirstName" TEXT NOT NULL,
                    "LastName" TEXT NULL,
                    "Username" TEXT NULL,
                    "LanguageCode" TEXT NULL,
                    "TeamName" TEXT NULL,
                    "HeadCount" INTEGER NULL,
                    "Registration" INTEGER NOT NULL,
                    "CurrentQuestionId" INTEGER NULL,
                    "CreatedAt" INTEGER NOT NULL,
                    "LeftOutAt" INTEGER NULL
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_Participants" ("Id", "FirstName", "LastName", "Username", "LanguageCode", "TeamName", "HeadCount", "Registration", "CurrentQuestionId", "CreatedAt", "LeftOutAt")
                SELECT "Id", "FirstName", "LastName", "Username", "LanguageCode", "TeamName", "HeadCount", "Registration", "CurrentQuestionId", "CreatedAt", "LeftOutAt" FROM "Participants";
                """);
            migrationBuilder.Sql("DROP TABLE \"Participants\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_Participants\" RENAME TO \"Participants\";");
        }
    }
}
