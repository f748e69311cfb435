using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnswerKeepsItsPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "People",
                table: "Answers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            // Answers stored before kept no count of their own: they keep the one their results showed, the team's
            // head count as it is now.
            migrationBuilder.Sql(
                "UPDATE Answers SET People = (SELECT p.HeadCount FROM Participants p WHERE p.Id = Answers.ParticipantId) " +
                "WHERE ParticipantId IN (SELECT Id FROM Participants WHERE HeadCount IS NOT NULL);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "People",
                table: "Answers");
        }
    }
}
