using System.Text;
using Npgsql;
using TeenMode.ContentPool;
using TeenMode.Postgres.Internal;

namespace TeenMode.Postgres.ContentPool;

/// <summary>
/// The content catalog in PostgreSQL. Queries are answered in SQL: bands as an indexed <c>text[]</c> (GIN, in the item's
/// own order), flags as an int bitmask, and ids ordered by a <c>bytea</c> sort key in .NET ordinal order.
/// </summary>
/// <remarks>
/// Title search is <c>ILIKE</c> with <c>%</c>, <c>_</c> and <c>\</c> escaped; its case folding follows the database's
/// LC_CTYPE (Unicode in a UTF-8 locale, ASCII only under <c>C</c>).
/// </remarks>
public sealed class PostgresContentCatalog(PostgresDatabase database) : IContentCatalog
{
    private const string Columns = "id, title, category, bands, may_affect_minors, flags, format, popularity";

    // Every condition is "parameter is null or the row matches", so one constant statement answers every query.
    private const string Conditions = """
        WHERE (@after::bytea IS NULL OR sort_key > @after)
          AND (@band::text IS NULL OR (bands @> ARRAY[@band::text] AND NOT may_affect_minors
               AND (flags & @forbidden) = 0 AND ((flags & @unreviewed) = 0 OR (flags & @allow_listed) <> 0)))
          AND (NOT @exclude_minors OR NOT may_affect_minors)
          AND (@format::text IS NULL OR format = @format)
          AND (@exclude_format::text IS NULL OR format <> @exclude_format)
          AND (@category::text IS NULL OR category = @category)
          AND (@title::text IS NULL OR title ILIKE @title ESCAPE '\')
        """;

    /// <inheritdoc />
    public async Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var rows = await database.QueryAsync($"SELECT {Columns} FROM content_items WHERE id = @id;", c => c.Text("id", itemId), Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        // The last of several items with one id wins, as a row-by-row upsert would; one statement may not touch a row twice.
        var byId = new Dictionary<string, ContentItem>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            byId[item.Id] = item;
        }

        var list = byId.Values.ToList();

        // One transaction: an import lands whole or not at all; one batch of statements saves a round trip per item.
        await database.InTransactionAsync(async (session, ct) =>
        {
            foreach (var chunk in list.Chunk(500))
            {
                await session.ExecuteAsync($"""
                    INSERT INTO content_items (id, sort_key, title, category, bands, may_affect_minors, flags, format, popularity)
                    SELECT u.id, u.sort_key, u.title, u.category, ARRAY(SELECT jsonb_array_elements_text(u.bands)), u.minors, u.flags, u.format, u.popularity
                    FROM unnest(@ids, @keys, @titles, @categories, @bands, @minors, @flags, @formats, @popularity)
                         AS u(id, sort_key, title, category, bands, minors, flags, format, popularity)
                    ON CONFLICT (id) DO UPDATE SET
                        title = excluded.title, category = excluded.category, bands = excluded.bands,
                        may_affect_minors = excluded.may_affect_minors, flags = excluded.flags, format = excluded.format, popularity = excluded.popularity;
                    """,
                    c =>
                    {
                        c.Parameters.Add(new NpgsqlParameter<string[]>("ids", chunk.Select(i => i.Id).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<byte[][]>("keys", chunk.Select(i => OrdinalKey(i.Id)).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<string[]>("titles", chunk.Select(i => i.Title).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<string[]>("categories", chunk.Select(i => i.Category).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<string[]>("bands", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb)
                        {
                            TypedValue = chunk.Select(i => Newtonsoft.Json.JsonConvert.SerializeObject(i.SuitableBands.Select(b => b.Id))).ToArray(),
                        });
                        c.Parameters.Add(new NpgsqlParameter<bool[]>("minors", chunk.Select(i => i.MayAffectMinors).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<int[]>("flags", chunk.Select(i => (int)i.Flags).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<string[]>("formats", chunk.Select(i => ContentFile.FormatWireName(i.Format)).ToArray()));
                        c.Parameters.Add(new NpgsqlParameter<long[]>("popularity", chunk.Select(i => i.Popularity).ToArray()));
                    },
                    ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
        {
            return [];
        }

        var sql = query.Order == ContentOrder.ByPopularity
            ? $"SELECT {Columns} FROM content_items {Conditions} ORDER BY popularity DESC, sort_key LIMIT @limit;"
            : $"SELECT {Columns} FROM content_items {Conditions} ORDER BY sort_key LIMIT @limit;";
        return await database.QueryAsync(sql, c => Bind(c, query), Read, cancellationToken).ConfigureAwait(false);
    }

    private static void Bind(NpgsqlCommand command, ContentQuery query)
    {
        var title = string.IsNullOrWhiteSpace(query.TitleContains) ? null : "%" + EscapeLike(query.TitleContains.Trim()) + "%";
        command.Bytes("after", query.Order == ContentOrder.ById && query.AfterId is { } after ? OrdinalKey(after) : null)
            .Text("band", query.ServableTo?.Id)

            // The teen-mode servability rule of ContentItem.IsServableInTeenMode, as bit masks.
            .Int("forbidden", (int)ContentLabels.ForbiddenTopics)
            .Int("unreviewed", (int)(ContentLabels.Advertisement | ContentLabels.ExternalLink))
            .Int("allow_listed", (int)ContentLabels.AllowListed)
            .Bool("exclude_minors", query.ExcludeMayAffectMinors)
            .Text("format", query.Format is { } format ? ContentFile.FormatWireName(format) : null)
            .Text("exclude_format", query.ExcludeFormat is { } excluded ? ContentFile.FormatWireName(excluded) : null)
            .Text("category", query.Category)
            .Text("title", title)
            .Int("limit", query.Limit);
    }

    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '%' or '_')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static ContentItem Read(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        r.GetFieldValue<string[]>(3).Select(Bands.Parse).ToArray(),
        r.GetBoolean(4),
        (ContentLabels)r.GetInt32(5),
        ContentFile.TryParseFormat(r.GetString(6), out var format) ? format : throw new InvalidDataException($"'{r.GetString(6)}' in the TeenMode database is not a content format."),
        r.GetInt64(7));

    /// <summary>
    /// The id as big-endian UTF-16 code units: bytea compares bytewise, which then matches .NET ordinal order exactly
    /// (text under any collation, "C" included, orders characters beyond U+FFFF differently).
    /// </summary>
    private static byte[] OrdinalKey(string id)
    {
        var key = new byte[id.Length * 2];
        for (var i = 0; i < id.Length; i++)
        {
            key[2 * i] = (byte)(id[i] >> 8);
            key[(2 * i) + 1] = (byte)(id[i] & 0xFF);
        }

        return key;
    }
}
