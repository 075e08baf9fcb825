using System.Data.Common;
using Microsoft.Data.Sqlite;
using TeenMode;

namespace ShortVideoApp;

/// <summary>The sample's store wiring: SQLite (default) or PostgreSQL, chosen by <see cref="ShortVideoAppOptions.Store"/>.</summary>
public static partial class ShortVideoAppHost
{
    // Connection-string keys never echoed back: an error or a log line must not leak a credential.
    private static readonly string[] SecretKeys = ["password", "pwd", "passfile", "sslpassword", "sslkey"];

    /// <summary>The connection's description for logs and errors: every key but the secrets.</summary>
    public static string DescribeStore(ShortVideoAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IsSqlite(options))
        {
            return $"SQLite {SqlitePath(options)}";
        }

        var safe = new DbConnectionStringBuilder();
        try
        {
            var given = new DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
            foreach (string key in given.Keys)
            {
                if (!SecretKeys.Any(s => key.Contains(s, StringComparison.OrdinalIgnoreCase)))
                {
                    safe[key] = given[key];
                }
            }
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (连接字符串无法解析 / unparsable connection string)";
        }

        return $"PostgreSQL {safe.ConnectionString}";
    }

    private static bool IsSqlite(ShortVideoAppOptions options) => string.Equals(options.Store, SampleStores.Sqlite, StringComparison.Ordinal);

    /// <summary>The SQLite file: the connection string's Data Source, else <see cref="ShortVideoAppOptions.DatabasePath"/>.</summary>
    private static string SqlitePath(ShortVideoAppOptions options) =>
        options.ConnectionString is { } cs ? new SqliteConnectionStringBuilder(cs).DataSource : options.DatabasePath;

    private static void EnsureStore(ShortVideoAppOptions options)
    {
        if (options.Store is not (SampleStores.Sqlite or SampleStores.Postgres))
        {
            throw new ArgumentException(
                $"未知存储 '{options.Store}'，可选 sqlite 或 postgres / unknown store '{options.Store}': use sqlite or postgres.", nameof(options));
        }

        if (IsSqlite(options))
        {
            string path;
            try
            {
                path = SqlitePath(options);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"SQLite 连接字符串无效 / invalid SQLite connection string: {ex.Message}", nameof(options), ex);
            }

            if (string.IsNullOrWhiteSpace(path) || path == ":memory:")
            {
                throw new ArgumentException("SQLite 连接字符串须给出数据库文件（Data Source=FILE）/ the SQLite connection string must name a file (Data Source=FILE).", nameof(options));
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("--store postgres 需要 --connection（Npgsql 连接字符串）/ --store postgres needs --connection (an Npgsql connection string).", nameof(options));
        }

        // A key file beside a local path would differ per machine: instances sharing a database must share the sealing key.
        if (options.PersonalDataKey is null)
        {
            throw new ArgumentException(
                "--store postgres 需要设置 TEENMODE_PI_KEY（各实例相同）/ --store postgres needs TEENMODE_PI_KEY, the same on every instance.", nameof(options));
        }
    }

    private static void ConfigureStore(ITeenModeBuilder teenMode, ShortVideoAppOptions options)
    {
        if (IsSqlite(options))
        {
            teenMode.UseSqlite(SqlitePath(options));
            return;
        }

        // Any number of instances may share this database; outbox notices are claimed with a lease, so each is sent by one.
        teenMode.UsePostgres(options.ConnectionString!);
    }
}

/// <summary>The store could not be reached or opened at start-up (the message names the store without its secrets).</summary>
public sealed class StoreUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnreachableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StoreUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StoreUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
