using System.Net;

namespace TeenMode.LoadDriver;

/// <summary>A bad command line or a target the driver refuses; the CLI prints the message and exits 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Load goes to this machine only: 127.0.0.0/8, ::1 or the name localhost, never anything a resolver could point elsewhere.</summary>
internal static class LoopbackTarget
{
    /// <summary>Parses an http URL and checks its host is loopback.</summary>
    /// <exception cref="UsageException">Not an absolute http URL, or the host is not loopback.</exception>
    public static Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.IsFile)
        {
            throw new UsageException($"目标须为 http 绝对地址 / the target must be an absolute http:// URL: '{text}'");
        }

        if (!IsLoopback(uri))
        {
            throw new UsageException(
                $"拒绝：只对本机回环地址施加负载（127.0.0.0/8、::1、localhost）/ refused: load goes to loopback only (127.0.0.0/8, ::1, localhost), not '{uri.Host}'");
        }

        // Plain HTTP only: the measured loop speaks HTTP/1.1 on a socket of its own (LoopbackHttpConnection).
        if (uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new UsageException($"目标须为 http 地址 / the target must be an http:// URL, not '{uri.Scheme}'");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public static bool IsLoopback(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (string.Equals(uri.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // IdnHost drops the brackets of an IPv6 literal; any other name is refused, since DNS may send it off the machine.
        if (!IPAddress.TryParse(uri.IdnHost, out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return IPAddress.IsLoopback(address);
    }
}
