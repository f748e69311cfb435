using CodeQuiz.Core.Outbox;

namespace CodeQuiz.Web.Components.Pages.Bot;

/// <summary>What an outgoing message is, in the console's words ("Results post", not "ChannelResults").</summary>
public static class OutboxPurposeNames
{
    public static string Describe(this OutboxPurpose purpose) => purpose switch
    {
        OutboxPurpose.Reply => "Reply to a participant",
        OutboxPurpose.CallbackAnswer => "Answer to a button press",
        OutboxPurpose.ChannelAnnouncement => "Question post",
        OutboxPurpose.ChannelCount => "Answer count of a question post",
        OutboxPurpose.ChannelResults => "Results post",
        OutboxPurpose.ChannelResultsEdit => "Correction of a results post",
        _ => purpose.ToString(),
    };
}
