using System.Globalization;

namespace TeenMode.ContentPool;

/// <summary>
/// An immutable snapshot of the catalog for hot paths: item id → bitmask of the bands the item may be served to in
/// teen mode. Lookups take a <see cref="ReadOnlySpan{T}"/> of the id, run in O(1) and allocate nothing, so a gateway
/// can check every playback request against millions of items. Rebuild it when the catalog changes.
/// </summary>
public sealed class ContentIndex
{
    private readonly Dictionary<string, uint> _masks;
    private readonly Dictionary<string, uint>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly AgeBand[] _bands;

    private ContentIndex(Dictionary<string, uint> masks, AgeBand[] bands)
    {
        _masks = masks;
        _lookup = masks.GetAlternateLookup<ReadOnlySpan<char>>();
        _bands = bands;
    }

    /// <summary>How many items the index knows.</summary>
    public int Count => _masks.Count;

    /// <summary>The bands, in bit order (at most 32).</summary>
    public IReadOnlyList<AgeBand> Bands => _bands;

    /// <summary>Builds the index from items (e.g. a catalog export or a store scan).</summary>
    /// <exception cref="ArgumentException">More than 32 bands.</exception>
    public static ContentIndex Build(IEnumerable<ContentItem> items, IReadOnlyList<AgeBand> bands)
    {
        ArgumentNullException.ThrowIfNull(items);
        var bandArray = CheckBands(bands);
        var masks = new Dictionary<string, uint>(items is ICollection<ContentItem> c ? c.Count : 0, StringComparer.Ordinal);
        foreach (var item in items)
        {
            var mask = 0u;
            if (ContentItem.IsServableInTeenMode(item.MayAffectMinors, item.Flags))
            {
                foreach (var band in item.SuitableBands)
                {
                    mask |= Bit(bandArray, band);
                }
            }

            masks[item.Id] = mask;
        }

        return new ContentIndex(masks, bandArray);
    }

    /// <summary>
    /// Builds the index straight from a catalog CSV (the <see cref="ContentFile"/> format) without materialising items:
    /// only the id string of each row is allocated. Rows must be valid (import them through <see cref="IContentCuration"/> first).
    /// </summary>
    /// <exception cref="FormatException">The header lacks a required column, or a row cannot be read.</exception>
    public static ContentIndex LoadCsv(ReadOnlySpan<char> csv, IReadOnlyList<AgeBand> bands, int expectedItems = 0)
    {
        var bandArray = CheckBands(bands);
        var reader = new CsvSpanReader(csv);
        int idColumn = -1, bandsColumn = -1, mayAffectColumn = -1, flagsColumn = -1, columns = 0;
        while (reader.NextField(out var name, out var endOfRow))
        {
            switch (name)
            {
                case "id": idColumn = columns; break;
                case "bands": bandsColumn = columns; break;
                case "mayAffectMinors": mayAffectColumn = columns; break;
                case "flags": flagsColumn = columns; break;
            }

            columns++;
            if (endOfRow)
            {
                break;
            }
        }

        if (idColumn < 0 || bandsColumn < 0)
        {
            throw new FormatException("The catalog CSV needs the columns id and bands.");
        }

        var masks = new Dictionary<string, uint>(expectedItems, StringComparer.Ordinal);
        var row = 1;
        while (!reader.AtEnd)
        {
            row++;
            string? id = null;
            uint bandMask = 0;
            var mayAffect = false;
            var flags = ContentLabels.None;
            for (var column = 0; ; column++)
            {
                if (!reader.NextField(out var field, out var endOfRow))
                {
                    break;
                }

                if (column == idColumn)
                {
                    id = field.ToString();
                }
                else if (column == bandsColumn)
                {
                    bandMask = ParseBands(field, bandArray, row);
                }
                else if (column == mayAffectColumn)
                {
                    mayAffect = field.SequenceEqual("true");
                }
                else if (column == flagsColumn)
                {
                    flags = ParseFlags(field, row);
                }

                if (endOfRow)
                {
                    break;
                }
            }

            if (id is null)
            {
                continue; // a blank last line
            }

            masks[id] = ContentItem.IsServableInTeenMode(mayAffect, flags) ? bandMask : 0;
        }

        return new ContentIndex(masks, bandArray);
    }

    /// <summary>True when the item is known (servable or not).</summary>
    public bool Contains(ReadOnlySpan<char> itemId) => _lookup.ContainsKey(itemId);

    /// <summary>True when the item may be served in teen mode to <paramref name="band"/>. O(1), allocation-free.</summary>
    public bool IsServable(ReadOnlySpan<char> itemId, AgeBand band)
    {
        for (var i = 0; i < _bands.Length; i++)
        {
            if (_bands[i] == band)
            {
                return _lookup.TryGetValue(itemId, out var mask) && (mask & (1u << i)) != 0;
            }
        }

        return false;
    }

    private static AgeBand[] CheckBands(IReadOnlyList<AgeBand> bands)
    {
        ArgumentNullException.ThrowIfNull(bands);
        return bands.Count <= 32 ? [.. bands] : throw new ArgumentException("A content index holds at most 32 bands.", nameof(bands));
    }

    private static uint Bit(AgeBand[] bands, AgeBand band)
    {
        var i = Array.IndexOf(bands, band);
        return i < 0 ? 0 : 1u << i;
    }

    private static uint ParseBands(ReadOnlySpan<char> field, AgeBand[] bands, int row)
    {
        var mask = 0u;
        foreach (var range in field.Split(';'))
        {
            var part = field[range].Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            var dash = part.IndexOf('-');
            if (dash <= 0
                || !int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Row {row}: '{part}' is not a band id."));
            }

            mask |= Bit(bands, new AgeBand(from, to));
        }

        return mask;
    }

    private static ContentLabels ParseFlags(ReadOnlySpan<char> field, int row)
    {
        var flags = ContentLabels.None;
        foreach (var range in field.Split(';'))
        {
            var part = field[range].Trim();
            if (part.IsEmpty)
            {
                continue;
            }

            flags |= part switch
            {
                "advertisement" => ContentLabels.Advertisement,
                "external-link" => ContentLabels.ExternalLink,
                "fan-fundraising" => ContentLabels.FanFundraising,
                "vote-ranking" => ContentLabels.VoteRanking,
                "traffic-manipulation" => ContentLabels.TrafficManipulation,
                "allow-listed" => ContentLabels.AllowListed,
                _ => throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Row {row}: '{part}' is not a flag.")),
            };
        }

        return flags;
    }

    /// <summary>Steps through RFC 4180 fields without allocating; a quoted field is returned with its quotes removed only when it has no doubled quote.</summary>
    private ref struct CsvSpanReader(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        private int _position;

        public readonly bool AtEnd => _position >= _text.Length;

        public bool NextField(out ReadOnlySpan<char> field, out bool endOfRow)
        {
            field = default;
            endOfRow = true;
            if (AtEnd)
            {
                return false;
            }

            var start = _position;
            if (_text[start] == '"')
            {
                // Find the closing quote, skipping doubled quotes; the content may span lines.
                var i = start + 1;
                while (true)
                {
                    var next = _text[i..].IndexOf('"');
                    if (next < 0)
                    {
                        throw new FormatException("A quoted field is not closed.");
                    }

                    i += next;
                    if (i + 1 < _text.Length && _text[i + 1] == '"')
                    {
                        i += 2;
                        continue;
                    }

                    break;
                }

                field = _text[(start + 1)..i];
                _position = i + 1;
            }
            else
            {
                var end = _text[start..].IndexOfAny(',', '\r', '\n');
                end = end < 0 ? _text.Length : start + end;
                field = _text[start..end];
                _position = end;
            }

            if (_position < _text.Length && _text[_position] == ',')
            {
                _position++;
                endOfRow = false;
                return true;
            }

            // End of row: consume \r\n, \n or \r.
            if (_position < _text.Length && _text[_position] == '\r')
            {
                _position++;
            }

            if (_position < _text.Length && _text[_position] == '\n')
            {
                _position++;
            }

            return true;
        }
    }
}
