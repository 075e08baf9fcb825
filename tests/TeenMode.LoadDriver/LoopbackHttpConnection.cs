using System.Buffers.Text;
using System.Text;
using System.Net;
using System.Net.Sockets;

namespace TeenMode.LoadDriver;

/// <summary>
/// A minimal HTTP/1.1 keep-alive connection for the measured loop: one request in flight, Content-Length or chunked
/// answers. The driver shares the cores with the app it measures, and HttpClient costs about twice wrk's CPU per
/// request; this costs about as much as wrk. Setup and checks still go through HttpClient.
/// </summary>
internal sealed class LoopbackHttpConnection : IDisposable
{
    private const int MaxHeaderBytes = 16 * 1024;
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly IPEndPoint _endPoint;
    private byte[] _buffer = new byte[8 * 1024];
    private byte[] _body = new byte[4 * 1024];
    private int _start;
    private int _end;
    private Socket? _socket;

    public LoopbackHttpConnection(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!LoopbackTarget.IsLoopback(target))
        {
            throw new UsageException($"拒绝：非回环地址 / refused: '{target.Host}' is not loopback");
        }

        // IsLoopback admitted only "localhost" or a loopback literal.
        var address = IPAddress.TryParse(target.IdnHost, out var literal) ? literal : IPAddress.Loopback;
        _endPoint = new IPEndPoint(address, target.Port);
    }

    /// <summary>Sends one whole request and reads the answer; the body stays valid until the next call.</summary>
    /// <exception cref="IOException">The connection failed or the answer was malformed; the next call reconnects.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (e.g. the request's time limit); the next call reconnects.</exception>
    public async ValueTask<(int Status, ReadOnlyMemory<byte> Body)> SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        try
        {
            if (_socket is null)
            {
                _socket = new Socket(_endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
                _start = _end = 0;
            }

            while (!request.IsEmpty)
            {
                var sent = await _socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                request = request[sent..];
            }

            var (status, body, close) = await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
            if (close)
            {
                Close();
            }

            return (status, body);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or FormatException)
        {
            // The connection's state is unknown after a failure: start over on the next request.
            Close();
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw ex as IOException ?? new IOException(ex.Message, ex);
        }
    }

    public void Dispose() => Close();

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private async ValueTask<(int Status, ReadOnlyMemory<byte> Body, bool Close)> ReadResponseAsync(CancellationToken cancellationToken)
    {
        int headerEnd;
        while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes)
            {
                throw new IOException("answer headers too long");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        var (status, length, chunked, close) = ParseHeaders(_buffer.AsSpan(_start, headerEnd));
        _start += headerEnd + 4;
        var bodyLength = 0;
        if (chunked)
        {
            while (true)
            {
                var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                var sizeText = _buffer.AsSpan(line.Start, line.Length);
                var semicolon = sizeText.IndexOf((byte)';');
                if (!Utf8Parser.TryParse(semicolon >= 0 ? sizeText[..semicolon] : sizeText, out int size, out _, 'x') || size < 0 || bodyLength + size > MaxBodyBytes)
                {
                    throw new IOException("bad chunk size");
                }

                if (size == 0)
                {
                    // Trailers, if any, end with an empty line.
                    while ((await ReadLineAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
                    {
                    }

                    break;
                }

                await EnsureAsync(size + 2, cancellationToken).ConfigureAwait(false);
                Append(ref bodyLength, size);
                _start += size + 2;
            }
        }
        else if (length is { } contentLength)
        {
            if (contentLength > MaxBodyBytes)
            {
                throw new IOException("answer too long");
            }

            await EnsureAsync(contentLength, cancellationToken).ConfigureAwait(false);
            Append(ref bodyLength, contentLength);
            _start += contentLength;
        }
        else if (status is not (204 or 304) && status >= 200)
        {
            throw new IOException("answer without Content-Length or chunked body");
        }

        return (status, _body.AsMemory(0, bodyLength), close);
    }

    private void Append(ref int bodyLength, int count)
    {
        if (bodyLength + count > _body.Length)
        {
            Array.Resize(ref _body, Math.Max(_body.Length * 2, bodyLength + count));
        }

        _buffer.AsSpan(_start, count).CopyTo(_body.AsSpan(bodyLength));
        bodyLength += count;
    }

    private static (int Status, int? Length, bool Chunked, bool Close) ParseHeaders(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("not an HTTP/1.x answer");
        }

        int? length = null;
        var chunked = false;
        var close = head[7] == (byte)'0';
        var rest = head;
        while (true)
        {
            var eol = rest.IndexOf("\r\n"u8);
            if (eol < 0)
            {
                break;
            }

            rest = rest[(eol + 2)..];
            var line = rest[..(rest.IndexOf("\r\n"u8) is var next and >= 0 ? next : rest.Length)];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                length = Utf8Parser.TryParse(value, out int n, out _) && n >= 0 ? n : throw new IOException("bad Content-Length");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                close = Ascii.EqualsIgnoreCase(value, "close"u8);
            }
        }

        return (status, length, chunked, close);
    }

    private async ValueTask<(int Start, int Length)> ReadLineAsync(CancellationToken cancellationToken)
    {
        int eol;
        while ((eol = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes)
            {
                throw new IOException("line too long");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        var line = (_start, eol);
        _start += eol + 2;
        return line;
    }

    private async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            await FillAsync(cancellationToken, count).ConfigureAwait(false);
        }
    }

    // Reads more bytes after the unread ones, moving them to the front or growing the buffer when needed.
    private async ValueTask FillAsync(CancellationToken cancellationToken, int need = 0)
    {
        var unread = _end - _start;
        if (_start > 0 && (_end == _buffer.Length || _buffer.Length - _start < need))
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
            _start = 0;
            _end = unread;
        }

        if (_end == _buffer.Length || _buffer.Length < need)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, need + 1024));
        }

        var read = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("connection closed by the app");
        }

        _end += read;
    }
}
