using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CodeQuiz.Core.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class OutboxWaitingRowsReadById : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Status_Priority_Id",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Failed",
                table: "OutboxMessages",
                column: "Id",
                filter: "Status = 2");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Pending0",
                table: "OutboxMessages",
                column: "Id",
                filter: "Status = 0 AND Priority = 0");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Pending3",
                table: "OutboxMessages",
                column: "Id",
                filter: "Status = 0 AND Priority = 3");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Failed",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Pending0",
                table: "OutboxMessages");

            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Pending3",
                table: "OutboxMessages");

            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Status_Priority_Id",
                table: "OutboxMessages",
                columns: new[] { "Status", "Priority", "Id" });
        }
    }
}
