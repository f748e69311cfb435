using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AnswersIndexLedByParticipant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Answers_ParticipantId",
                table: "Answers");

            migrationBuilder.DropIndex(
                name: "IX_Answers_QuestionId_ParticipantId",
                table: "Answers");

            migrationBuilder.CreateIndex(
                name: "IX_Answers_ParticipantId_QuestionId",
                table: "Answers",
                columns: new[] { "ParticipantId", "QuestionId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Answers_ParticipantId_QuestionId",
                table: "Answers");

            migrationBuilder.CreateIndex(
                name: "IX_Answers_ParticipantId",
                table: "Answers",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_Answers_QuestionId_ParticipantId",
                table: "Answers",
                columns: new[] { "QuestionId", "ParticipantId" },
                unique: true);
        }
    }
}
