namespace TeenMode;

/// <summary>What a decision lets the app do.</summary>
public enum Outcome
{
    /// <summary>The request may go ahead.</summary>
    Allow,

    /// <summary>The request may go ahead, and the app must show the notice named by the reason code.</summary>
    AllowWithNotice,

    /// <summary>The request must not go ahead.</summary>
    Deny,
}
