"""Index the review texts for search (reviews.search): pg_trgm's GIN index on PostgreSQL, an FTS5
trigram table kept by triggers on SQLite; other databases search without one. And on PostgreSQL a GIN
index on the warnings for the admin's warning filter."""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # On UPPER(text): Django's icontains on PostgreSQL is UPPER("text"::text) LIKE UPPER(%s).
    "CREATE INDEX IF NOT EXISTS review_text_trgm ON reviews_review USING gin (UPPER(text) gin_trgm_ops)",
    # The admin's warning filter: warnings @> '["very_short"]'.
    "CREATE INDEX IF NOT EXISTS review_warnings_gin ON reviews_review USING gin (warnings jsonb_path_ops)",
]
POSTGRESQL_UNDO = ["DROP INDEX IF EXISTS review_text_trgm", "DROP INDEX IF EXISTS review_warnings_gin"]

# External content: the table indexes reviews_review.text by id without a second copy of the texts.
# A migration that remakes reviews_review on SQLite (some AlterField) drops these triggers with the
# old table: it must run SQLITE again (reviews/tests/test_search.py checks they are there).
SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS reviews_review_fts USING fts5("
    "text, content='reviews_review', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS reviews_review_fts_insert AFTER INSERT ON reviews_review BEGIN "
    "INSERT INTO reviews_review_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS reviews_review_fts_delete AFTER DELETE ON reviews_review BEGIN "
    "INSERT INTO reviews_review_fts(reviews_review_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS reviews_review_fts_update AFTER UPDATE OF text ON reviews_review BEGIN "
    "INSERT INTO reviews_review_fts(reviews_review_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO reviews_review_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO reviews_review_fts(reviews_review_fts) VALUES ('rebuild')",
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS reviews_review_fts_insert",
    "DROP TRIGGER IF EXISTS reviews_review_fts_delete",
    "DROP TRIGGER IF EXISTS reviews_review_fts_update",
    "DROP TABLE IF EXISTS reviews_review_fts",
]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_review_days_and_indexes")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_UNDO, "sqlite": SQLITE_UNDO}),
        ),
    ]
