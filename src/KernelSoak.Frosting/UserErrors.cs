namespace KernelSoak.Frosting;

/// <summary>A mistake of the user's (bad input, a setting, a campaign): one clear line, no stack trace.</summary>
public class UserErrorException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A finished check whose answer is "change your input" (a lint that finds dropped options): the run
/// was not interrupted, so re-running it unchanged would only give the same answer.
/// </summary>
public sealed class FindingException(string message, string whatToChange) : UserErrorException(message)
{
    public string WhatToChange { get; } = whatToChange;

    /// <summary>The finding inside the wrappers Cake and reflection put around a task's exception.</summary>
    public static FindingException? In(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is FindingException f) return f;
        return null;
    }
}
