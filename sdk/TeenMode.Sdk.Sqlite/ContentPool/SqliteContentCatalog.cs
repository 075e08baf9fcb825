using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using TeenMode.ContentPool;
using TeenMode.Sqlite.Internal;
using static TeenMode.Sqlite.Internal.SqliteValues;

namespace TeenMode.Sqlite;

/// <summary>
/// The content catalog in the shared SQLite file. A <see cref="ContentQuery"/> becomes one SQL statement (band through
/// <c>content_item_bands</c>, flags, format, category, title, order and limit), never a scan of the catalog in .NET;
/// its results agree with <see cref="ContentQuery.Matches"/>.
/// </summary>
/// <param name="database">The SQLite file the app's stores share.</param>
public sealed class SqliteContentCatalog(SqliteDatabase database) : IContentCatalog
{
    // The attributes added with the full content pool live beside content_items, so older files needed no table rewrite;
    // a row without attributes reads as no flags, video, popularity 0.
    private const string SelectItems = """
        SELECT c.id, c.title, c.category, c.bands, c.may_affect_minors, a.flags, a.format, a.popularity
        FROM content_items c LEFT JOIN content_item_attributes a ON a.id = c.id
        """;

    // ContentQuery.TitleContains ignores case the .NET way (OrdinalIgnoreCase, beyond ASCII) and takes % and _ literally,
    // which LIKE does not: SQLite calls back into .NET for this one test, still inside the statement.
    private const string TitleFunction = "teenmode_title_contains";

    private static readonly string NotServableFlags = ((long)ContentLabels.ForbiddenTopics).ToString(CultureInfo.InvariantCulture);
    private static readonly string NeedsAllowListFlags = ((long)(ContentLabels.Advertisement | ContentLabels.ExternalLink)).ToString(CultureInfo.InvariantCulture);
    private static readonly string AllowListedFlag = ((long)ContentLabels.AllowListed).ToString(CultureInfo.InvariantCulture);

    private readonly SqliteDatabase _database = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc />
    public async Task<ContentItem?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var rows = await _database.QueryAsync(SelectItems + " WHERE c.id = $id;", p => p.AddWithValue("$id", itemId), ReadItem, cancellationToken)
            .ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task UpsertAsync(IEnumerable<ContentItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        using var writeTurn = await _database.EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
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
                DELETE FROM content_item_bands WHERE item_id = $id;
                INSERT OR IGNORE INTO content_item_bands (item_id, band) SELECT $id, value FROM json_each($bandList);
                """;
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var key = command.Parameters.Add("$key", SqliteType.Blob);
            var title = command.Parameters.Add("$title", SqliteType.Text);
            var category = command.Parameters.Add("$category", SqliteType.Text);
            var bands = command.Parameters.Add("$bands", SqliteType.Text);
            var bandList = command.Parameters.Add("$bandList", SqliteType.Text);
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
                bandList.Value = Newtonsoft.Json.JsonConvert.SerializeObject(item.SuitableBands.Select(b => b.Id));
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
        if (query.Limit <= 0)
        {
            return [];
        }

        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = BuildQuery(query, command.Parameters, out var usesTitle);
            if (usesTitle)
            {
                connection.CreateFunction(TitleFunction, (string title, string needle) => title.Contains(needle, StringComparison.OrdinalIgnoreCase), isDeterministic: true);
            }

            var page = new List<ContentItem>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    page.Add(ReadItem(reader));
                }
            }

            return page;
        }
    }

    // Each condition of ContentQuery.Matches, in its order; values are parameters, the only literals are flag constants.
    private static string BuildQuery(ContentQuery query, SqliteParameterCollection p, out bool usesTitle)
    {
        var sql = new StringBuilder(SelectItems).Append(" WHERE 1 = 1");
        if (query.Order == ContentOrder.ById && query.AfterId is not null)
        {
            sql.Append(" AND c.sort_key > $after");
            p.Add("$after", SqliteType.Blob).Value = OrdinalKey(query.AfterId);
        }

        if (query.ServableTo is { } band)
        {
            sql.Append(CultureInfo.InvariantCulture, $"""
                 AND c.id IN (SELECT item_id FROM content_item_bands WHERE band = $band) AND c.may_affect_minors = 0
                 AND (COALESCE(a.flags, 0) & {NotServableFlags}) = 0
                 AND ((COALESCE(a.flags, 0) & {NeedsAllowListFlags}) = 0 OR (COALESCE(a.flags, 0) & {AllowListedFlag}) <> 0)
                """);
            p.AddWithValue("$band", band.Id);
        }

        if (query.ExcludeMayAffectMinors)
        {
            sql.Append(" AND c.may_affect_minors = 0");
        }

        if (query.Format is { } format)
        {
            sql.Append(" AND COALESCE(a.format, $video) = $format");
            p.AddWithValue("$format", ContentFile.FormatWireName(format));
        }

        if (query.ExcludeFormat is { } excluded)
        {
            sql.Append(" AND COALESCE(a.format, $video) <> $excluded");
            p.AddWithValue("$excluded", ContentFile.FormatWireName(excluded));
        }

        if (query.Format is not null || query.ExcludeFormat is not null)
        {
            p.AddWithValue("$video", ContentFile.FormatWireName(ContentFormat.Video));
        }

        if (query.Category is not null)
        {
            // BINARY collation: the exact, ordinal comparison of Matches.
            sql.Append(" AND c.category = $category");
            p.AddWithValue("$category", query.Category);
        }

        usesTitle = !string.IsNullOrWhiteSpace(query.TitleContains);
        if (usesTitle)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {TitleFunction}(c.title, $title)");
            p.AddWithValue("$title", query.TitleContains!.Trim());
        }

        sql.Append(query.Order == ContentOrder.ByPopularity ? " ORDER BY COALESCE(a.popularity, 0) DESC, c.sort_key" : " ORDER BY c.sort_key");
        sql.Append(" LIMIT $limit;");
        p.AddWithValue("$limit", query.Limit);
        return sql.ToString();
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
