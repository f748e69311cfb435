using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TimedPromptsNameTheirQuestion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TimedQuestionId",
                table: "OutboxMessages",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN: EF Core's DropColumn copies the table into one it builds from the model, which numbers
            // rows with AUTOINCREMENT again (see OutboxAndAnswersWithoutAutoincrement). Prompts waiting then go with the
            // time left they were written with.
            migrationBuilder.Sql("ALTER TABLE OutboxMessages DROP COLUMN TimedQuestionId;");
        }
    }
}
