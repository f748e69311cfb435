using CodeQuiz.Core.Ingest;
using CodeQuiz.Core.Outbox;

namespace CodeQuiz.Tests.Core.Ingest;

public class SharedBodiesTests
{
    static OutboxMessage Reply(string text, string? keyboard = null, OutboxMethod method = OutboxMethod.SendMessage) =>
        new() { ChatId = "812345001", Method = method, Purpose = OutboxPurpose.Reply, Text = text, ReplyMarkupJson = keyboard };

    [Fact]
    public void AReplyKeepsItsTextTheFirstTimeAndTheSecondAndLaterOnesNameOneBody()
    {
        var bodies = new SharedBodies();
        bodies.Reset(newestStored: 6);

        Assert.Null(bodies.Share(Reply("<b>Question 1</b>", "{}")));
        Assert.Equal((7L, true), bodies.Share(Reply("<b>Question 1</b>", "{}")));
        Assert.Equal((7L, false), bodies.Share(Reply("<b>Question 1</b>", "{}")));
        // The same text with another keyboard is another body.
        Assert.Null(bodies.Share(Reply("<b>Question 1</b>", """{"inline_keyboard":[]}""")));
        Assert.Equal((8L, true), bodies.Share(Reply("<b>Question 1</b>", """{"inline_keyboard":[]}""")));
        Assert.Equal((7L, false), bodies.Share(Reply("<b>Question 1</b>", "{}")));
    }

    [Fact]
    public void ChannelPostsAndButtonToastsKeepTheirOwnText()
    {
        var bodies = new SharedBodies();
        foreach (var message in new[]
        {
            new OutboxMessage { ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelAnnouncement, Text = "Question 1" },
            new OutboxMessage { ChatId = "@codeweek", Purpose = OutboxPurpose.ChannelAnnouncement, Text = "Question 1" },
            Reply("Received", method: OutboxMethod.AnswerCallbackQuery),
            Reply("Received", method: OutboxMethod.AnswerCallbackQuery),
        })
            Assert.Null(bodies.Share(message));
    }

    [Fact]
    public void AResetForgetsTheBodiesGivenSinceTheyMayHaveBeenRolledBack()
    {
        var bodies = new SharedBodies();
        bodies.Share(Reply("Received"));
        Assert.Equal((1L, true), bodies.Share(Reply("Received")));

        bodies.Reset(newestStored: 0); // the transaction that wrote body 1 was rolled back
        Assert.Null(bodies.Share(Reply("Received")));
        Assert.Equal((1L, true), bodies.Share(Reply("Received")));
    }

    [Fact]
    public void WhenFullItForgetsEverythingSoTextsMetOnceCannotCrowdOutANewQuestionsPrompt()
    {
        var bodies = new SharedBodies();
        Assert.Null(bodies.Share(Reply("a prompt")));
        for (var i = 1; i < SharedBodies.Capacity; i++)
            Assert.Null(bodies.Share(Reply($"📨 Your answer is recorded: <i>free text {i}</i>")));

        Assert.Null(bodies.Share(Reply("a new question's prompt"))); // full: everything met so far is forgotten
        Assert.Null(bodies.Share(Reply("a prompt"))); // met once again, not twice
        Assert.Equal((1L, true), bodies.Share(Reply("a new question's prompt")));
        Assert.Equal((2L, true), bodies.Share(Reply("a prompt")));
    }
}
