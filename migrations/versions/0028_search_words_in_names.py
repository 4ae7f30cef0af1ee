"""the words of the directory also count the profiles that have them in their name

A search for one common word merges its page from walks in rating order, one per kind of match
(search._walked); the walk through the names reads the rating order until it has the
page's names with the word. Where no name has it, that is every profile: `ab` (in `cabinet`, in
no name) took 1.1 s at 1,000,000 practitioners, and a word of two letters gives the names'
trigram index nothing to look up either (bench/README.md, seventeenth pass). Each word now also
counts the listed profiles with it in their name (name_key: the full name, whose words are words
of the search text), kept by the same triggers, so a walk through the names runs only where a
name may hold the word.

The functions change under a lock on practitioners, taken first as every writer takes it, and
the names are counted before the new column locks search_words: searches read it, and wait
for that lock only while the counts are copied in (an index row per word of a name).
As with 0025, deploy the code that reads `names` after this migration has reached every
replica.

Revision ID: 0028
Revises: 0027
Create Date: 2026-11-28

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def names_column() -> sa.Column:
    return sa.Column('names', sa.Integer(), server_default='0', nullable=False)


def listed(row: str) -> str:
    """Whether `row` is a listed profile (models.LISTED), as SQL (as in 0025)."""
    return f'({row}.deleted_at IS NULL AND {row}.suspended_at IS NULL)'


# The texts (and names) of the profiles that leave the listing, or their old ones, and of those
# that come into it, or their new ones. A name's words are words of its text, so a word whose
# profiles fall to none has no name left either, and goes.
COUNT_WITH_NAMES = """
CREATE FUNCTION count_search_words(gone text[], come text[], names_gone text[], names_come text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    emptied text[];
BEGIN
    WITH changes AS (
        SELECT word, -1 AS profiles, 0 AS names FROM unnest(gone) AS t(search_text), search_words_of(search_text) AS word
        UNION ALL
        SELECT word, 1, 0 FROM unnest(come) AS t(search_text), search_words_of(search_text) AS word
        UNION ALL
        SELECT word, 0, -1 FROM unnest(names_gone) AS t(name_key), search_words_of(name_key) AS word
        UNION ALL
        SELECT word, 0, 1 FROM unnest(names_come) AS t(name_key), search_words_of(name_key) AS word
    ), counted AS (
        INSERT INTO search_words AS kept (word, profiles, names)
        SELECT word, sum(profiles), sum(names) FROM changes
        GROUP BY word HAVING sum(profiles) <> 0 OR sum(names) <> 0
        ORDER BY word
        ON CONFLICT (word) DO UPDATE
            SET profiles = kept.profiles + excluded.profiles, names = kept.names + excluded.names
        RETURNING word, profiles
    )
    SELECT array_agg(word) INTO emptied FROM counted WHERE profiles = 0;
    DELETE FROM search_words WHERE word = ANY(emptied) AND profiles = 0;
END
$$;
"""

RECOUNT_WITH_NAMES = f"""
CREATE OR REPLACE FUNCTION recount_search_words() RETURNS void
LANGUAGE sql AS $$
    LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM search_words;
    WITH in_texts AS (
        SELECT word, count(*) AS profiles FROM practitioners, search_words_of(search_text) AS word
        WHERE {listed('practitioners')}
        GROUP BY word
    ), in_names AS (
        SELECT word, count(*) AS names FROM practitioners, search_words_of(name_key) AS word
        WHERE {listed('practitioners')}
        GROUP BY word
    )
    INSERT INTO search_words (word, profiles, names)
    SELECT word, profiles, coalesce(names, 0) FROM in_texts LEFT JOIN in_names USING (word);
$$;
"""

TRIGGER_WITH_NAMES = f"""
CREATE OR REPLACE FUNCTION practitioners_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM search_words;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM count_search_words(
            '{{}}', ARRAY(SELECT search_text FROM new_rows WHERE {listed('new_rows')}),
            '{{}}', ARRAY(SELECT name_key FROM new_rows WHERE {listed('new_rows')}));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM count_search_words(
            ARRAY(SELECT search_text FROM old_rows WHERE {listed('old_rows')}), '{{}}',
            ARRAY(SELECT name_key FROM old_rows WHERE {listed('old_rows')}), '{{}}');
    ELSE  -- one row, whose text, name or listing changed
        PERFORM count_search_words(
            CASE WHEN {listed('OLD')} THEN ARRAY[OLD.search_text] ELSE '{{}}' END,
            CASE WHEN {listed('NEW')} THEN ARRAY[NEW.search_text] ELSE '{{}}' END,
            CASE WHEN {listed('OLD')} THEN ARRAY[OLD.name_key] ELSE '{{}}' END,
            CASE WHEN {listed('NEW')} THEN ARRAY[NEW.name_key] ELSE '{{}}' END);
    END IF;
    RETURN NULL;
END
$$;
"""

UPDATED_TRIGGER = """
CREATE TRIGGER search_words_updated AFTER UPDATE OF {columns}
    ON practitioners FOR EACH ROW
    WHEN ({changed})
    EXECUTE FUNCTION practitioners_search_words();
"""
LISTING_CHANGED = f"{listed('OLD')} <> {listed('NEW')}"
UPDATED_WITH_NAMES = UPDATED_TRIGGER.format(
    columns='search_text, name_key, deleted_at, suspended_at',
    changed='OLD.search_text IS DISTINCT FROM NEW.search_text'
    ' OR OLD.name_key IS DISTINCT FROM NEW.name_key OR ' + LISTING_CHANGED,
)
UPDATED_WITHOUT_NAMES = UPDATED_TRIGGER.format(  # 0025's
    columns='search_text, deleted_at, suspended_at',
    changed='OLD.search_text IS DISTINCT FROM NEW.search_text OR ' + LISTING_CHANGED,
)

# 0025's functions, for the downgrade.
COUNT_WITHOUT_NAMES = """
CREATE FUNCTION count_search_words(gone text[], come text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    emptied text[];
BEGIN
    WITH changes AS (
        SELECT word, -1 AS change FROM unnest(gone) AS t(search_text), search_words_of(search_text) AS word
        UNION ALL
        SELECT word, 1 FROM unnest(come) AS t(search_text), search_words_of(search_text) AS word
    ), counted AS (
        INSERT INTO search_words AS kept (word, profiles)
        SELECT word, sum(change) FROM changes
        GROUP BY word HAVING sum(change) <> 0
        ORDER BY word
        ON CONFLICT (word) DO UPDATE SET profiles = kept.profiles + excluded.profiles
        RETURNING word, profiles
    )
    SELECT array_agg(word) INTO emptied FROM counted WHERE profiles = 0;
    DELETE FROM search_words WHERE word = ANY(emptied) AND profiles = 0;
END
$$;
"""

RECOUNT_WITHOUT_NAMES = f"""
CREATE OR REPLACE FUNCTION recount_search_words() RETURNS void
LANGUAGE sql AS $$
    LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM search_words;
    INSERT INTO search_words (word, profiles)
    SELECT word, count(*) FROM practitioners, search_words_of(search_text) AS word
    WHERE {listed('practitioners')}
    GROUP BY word;
$$;
"""

TRIGGER_WITHOUT_NAMES = f"""
CREATE OR REPLACE FUNCTION practitioners_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM search_words;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM count_search_words(
            '{{}}', ARRAY(SELECT search_text FROM new_rows WHERE {listed('new_rows')}));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM count_search_words(
            ARRAY(SELECT search_text FROM old_rows WHERE {listed('old_rows')}), '{{}}');
    ELSE  -- one row, whose text or listing changed
        PERFORM count_search_words(
            CASE WHEN {listed('OLD')} THEN ARRAY[OLD.search_text] ELSE '{{}}' END,
            CASE WHEN {listed('NEW')} THEN ARRAY[NEW.search_text] ELSE '{{}}' END);
    END IF;
    RETURN NULL;
END
$$;
"""


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        op.add_column('search_words', names_column())
        return
    # No profile changes between the counts and the new functions (the lock holds to the end
    # of the migration's transaction).
    op.execute('LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE')
    op.execute(
        'CREATE TEMPORARY TABLE name_words ON COMMIT DROP AS'
        ' SELECT word, count(*) AS names FROM practitioners, search_words_of(name_key) AS word'
        f" WHERE {listed('practitioners')} GROUP BY word"
    )
    op.add_column('search_words', names_column())
    op.execute(
        'UPDATE search_words SET names = name_words.names FROM name_words'
        ' WHERE search_words.word = name_words.word'
    )
    op.execute('DROP TRIGGER search_words_updated ON practitioners')
    op.execute('DROP FUNCTION count_search_words(text[], text[])')
    op.execute(COUNT_WITH_NAMES)
    op.execute(RECOUNT_WITH_NAMES)
    op.execute(TRIGGER_WITH_NAMES)
    op.execute(UPDATED_WITH_NAMES)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE')
        op.execute('DROP TRIGGER search_words_updated ON practitioners')
        op.execute(TRIGGER_WITHOUT_NAMES)
        op.execute('DROP FUNCTION count_search_words(text[], text[], text[], text[])')
        op.execute(COUNT_WITHOUT_NAMES)
        op.execute(RECOUNT_WITHOUT_NAMES)
        op.execute(UPDATED_WITHOUT_NAMES)
    op.drop_column('search_words', 'names')
