-- Catalog queries run in SQL (ContentQuery): the bands an item suits get a table of their own, so "servable to band X"
-- is an indexed lookup instead of parsing content_items.bands (kept, still written, and read back as the item's list).
CREATE TABLE content_item_bands (
    item_id TEXT NOT NULL,
    band    TEXT NOT NULL,
    PRIMARY KEY (item_id, band)
) WITHOUT ROWID;
CREATE INDEX content_item_bands_by_band ON content_item_bands (band, item_id);
CREATE INDEX content_items_by_category ON content_items (category, sort_key);

-- Existing rows: split the comma-separated band ids.
WITH RECURSIVE split (id, band, rest) AS (
    SELECT id, '', bands || ',' FROM content_items
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1) FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO content_item_bands (item_id, band) SELECT id, band FROM split WHERE band <> '';
