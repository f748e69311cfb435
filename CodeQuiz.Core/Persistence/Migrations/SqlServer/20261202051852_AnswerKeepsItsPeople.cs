using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.SqlServer
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
                type: "int",
                nullable: false,
                defaultValue: 1);

            // Answers stored before kept no count of their own: they keep the one their results showed, the team's
            // head count as it is now. Through EXEC: a script's batch is compiled whole, before the column exists.
            migrationBuilder.Sql(
                "EXEC(N'UPDATE a SET People = p.HeadCount FROM Answers a " +
                "INNER JOIN Participants p ON p.Id = a.ParticipantId WHERE p.HeadCount IS NOT NULL');");
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
