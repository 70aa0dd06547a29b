using System.Text;
using Akka.Actor;

namespace Decentral.Simulation;

/// <summary>
/// An actor path as text that is the same in every process. Akka numbers some system actors with a
/// process-wide counter (EventStreamUnsubscriber-4 in one process is -1 in another), so outside
/// <c>/user</c> the digits at the end of a name are blanked. User actors keep their exact paths.
/// </summary>
internal static class StablePath
{
    public static string Of(ActorPath path)
    {
        var text = path.ToStringWithoutAddress();
        if (text.StartsWith("/user/", StringComparison.Ordinal))
        {
            return text + "@" + path.Address.System;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var element in path.Elements)
        {
            builder.Append('/');
            var end = element.Length;
            while (end > 0 && char.IsAsciiDigit(element[end - 1]))
            {
                end--;
            }

            builder.Append(element, 0, end);
        }

        return builder.Append('@').Append(path.Address.System).ToString();
    }
}
