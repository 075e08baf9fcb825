using Microsoft.Data.Sqlite;
using TeenMode.ContentPool;

namespace TeenMode.Sqlite;

public sealed partial class SqliteTeenModeStore : IContentCatalog
{
    // The attributes added with the full content pool live beside content_items, so older files need no table rewrite;
    // a row without attributes reads as no flags, video, popularity 0.
    private const string SchemaContent = """
        CREATE TABLE IF NOT EXISTS content_item_attributes (
            id         TEXT    NOT NULL PRIMARY KEY,
            flags      INTEGER NOT NULL,
            format     TEXT    NOT NULL,
            popularity INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    private const string SelectItems = """
        SELECT c.id, c.title, c.category, c.bands, c.may_affect_minors, a.flags, a.format, a.popularity
        FROM content_items c LEFT JOIN content_item_attributes a ON a.id = c.id
        """;

    /// <inheritdoc />
    async Task<ContentItem?> IContentCatalog.GetAsync(string itemId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = SelectItems + " WHERE c.id = $id;";
            command.Parameters.AddWithValue("$id", itemId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadItem(reader) : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One transaction: a catalog import lands whole or not at all, and far faster than a commit per item.
            using var transaction = connection.BeginTransaction(deferred: false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO content_items (id, sort_key, title, category, bands, may_affect_minors)
                VALUES ($id, $key, $title, $category, $bands, $minors)
                ON CONFLICT (id) DO UPDATE SET
                    title = excluded.title, category = excluded.category,
                    bands = excluded.bands, may_affect_minors = excluded.may_affect_minors;
                INSERT INTO content_item_attributes (id, flags, format, popularity)
                VALUES ($id, $flags, $format, $popularity)
                ON CONFLICT (id) DO UPDATE SET
                    flags = excluded.flags, format = excluded.format, popularity = excluded.popularity;
                """;
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var key = command.Parameters.Add("$key", SqliteType.Blob);
            var title = command.Parameters.Add("$title", SqliteType.Text);
            var category = command.Parameters.Add("$category", SqliteType.Text);
            var bands = command.Parameters.Add("$bands", SqliteType.Text);
            var minors = command.Parameters.Add("$minors", SqliteType.Integer);
            var flags = command.Parameters.Add("$flags", SqliteType.Integer);
            var format = command.Parameters.Add("$format", SqliteType.Text);
            var popularity = command.Parameters.Add("$popularity", SqliteType.Integer);
            foreach (var item in items)
            {
                ArgumentNullException.ThrowIfNull(item, nameof(items));
                id.Value = item.Id;
                key.Value = OrdinalKey(item.Id);
                title.Value = item.Title;
                category.Value = item.Category;
                bands.Value = string.Join(',', item.SuitableBands.Select(b => b.Id));
                minors.Value = item.MayAffectMinors;
                flags.Value = (long)item.Flags;
                format.Value = ContentFile.FormatWireName(item.Format);
                popularity.Value = item.Popularity;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContentItem>> QueryAsync(ContentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = new List<ContentItem>();
        if (query.Limit <= 0)
        {
            return page;
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            if (query.Order == ContentOrder.ByPopularity)
            {
                command.CommandText = SelectItems + " ORDER BY COALESCE(a.popularity, 0) DESC, c.sort_key;";
            }
            else if (query.AfterId is null)
            {
                command.CommandText = SelectItems + " ORDER BY c.sort_key;";
            }
            else
            {
                command.CommandText = SelectItems + " WHERE c.sort_key > $after ORDER BY c.sort_key;";
                command.Parameters.Add("$after", SqliteType.Blob).Value = OrdinalKey(query.AfterId);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (page.Count < query.Limit && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var item = ReadItem(reader);
                    if (query.Matches(item))
                    {
                        page.Add(item);
                    }
                }
            }

            return page;
        }
    }

    private static ContentItem ReadItem(SqliteDataReader reader)
    {
        var bands = reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseBand).ToArray();
        var item = new ContentItem(reader.GetString(0), reader.GetString(1), reader.GetString(2), bands, reader.GetBoolean(4));
        if (reader.IsDBNull(5))
        {
            return item;
        }

        return item with
        {
            Flags = (ContentLabels)reader.GetInt64(5),
            Format = ContentFile.TryParseFormat(reader.GetString(6), out var format) ? format : throw new InvalidDataException($"'{reader.GetString(6)}' in the TeenMode database is not a content format."),
            Popularity = reader.GetInt64(7),
        };
    }
}
