"""each word of the search text, with how many listed profiles have it

A search for one common word counted its matches up to the cap of exact totals (10,001 rows
re-checked in the table after the trigram index, 23-32 ms at 1,000,000 practitioners) only to
answer `total: 10000, total_exact: false`. A word of `q` lies inside one word of the search text
(it has no space), so one word of the directory that holds it and is in more profiles than the
cap says as much without a count.

PostgreSQL keeps the counts by triggers on practitioners, in the transaction of every change,
whichever statement makes it: profile edits, suspensions, deletions, erasure, bulk loads. A
statement that inserts or deletes many rows counts their words in one pass; an update counts
only where the text or the listing changes (the trigger's WHEN), so rating and availability
updates cost nothing. Words are counted in one upsert, in word order, so that two transactions
lock the rows they share in the same order. (No CHECK keeps counts positive: PostgreSQL checks
the row an upsert proposes, a word's loss of one profile, before it finds the conflict.) A
word that no profile has any more goes, with its count: an erased person's name does not stay
behind. Words over 200 bytes are not counted (an index row's size limit); the counts stay a
lower bound. A TRUNCATE of practitioners empties the table too. SQLite gets the table, left
empty.

A replica serves the new table once it has replayed this migration: deploy the code that reads
it after the migration has reached every replica.

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-27

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

# Longer words are not counted (an index row's size limit): the counts stay a lower bound.
LONGEST_WORD = 200  # bytes


def listed(row: str) -> str:
    """Whether `row` is a listed profile (models.LISTED), as SQL."""
    return f'({row}.deleted_at IS NULL AND {row}.suspended_at IS NULL)'


FUNCTIONS = f"""
CREATE FUNCTION search_words_of(search_text text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT word FROM unnest(string_to_array(search_text, ' ')) AS word
    WHERE word <> '' AND octet_length(word) <= {LONGEST_WORD}
$$;

-- The texts of the profiles that leave the listing (or their old text) and of those that come
-- into it (or their new text).
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

-- Every count from the profiles themselves: once here, and after a load that had the
-- triggers off (the bench's generator). No profile changes meanwhile.
CREATE FUNCTION recount_search_words() RETURNS void
LANGUAGE sql AS $$
    LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM search_words;
    INSERT INTO search_words (word, profiles)
    SELECT word, count(*) FROM practitioners, search_words_of(search_text) AS word
    WHERE {listed('practitioners')}
    GROUP BY word;
$$;

CREATE FUNCTION practitioners_search_words() RETURNS trigger
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

TRIGGERS = f"""
CREATE TRIGGER search_words_inserted AFTER INSERT ON practitioners
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION practitioners_search_words();
CREATE TRIGGER search_words_deleted AFTER DELETE ON practitioners
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION practitioners_search_words();
CREATE TRIGGER search_words_truncated AFTER TRUNCATE ON practitioners
    FOR EACH STATEMENT EXECUTE FUNCTION practitioners_search_words();
CREATE TRIGGER search_words_updated AFTER UPDATE OF search_text, deleted_at, suspended_at
    ON practitioners FOR EACH ROW
    WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text OR {listed('OLD')} <> {listed('NEW')})
    EXECUTE FUNCTION practitioners_search_words();
"""

def upgrade():
    op.create_table(
        'search_words',
        sa.Column('word', sa.Text(), nullable=False),
        sa.Column('profiles', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words')),
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.create_index(
        'ix_search_words_profiles', 'search_words', ['profiles'], postgresql_include=['word']
    )
    op.execute(FUNCTIONS)
    op.execute('SELECT recount_search_words()')  # its lock holds until the triggers are made
    op.execute(TRIGGERS)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for trigger in ('updated', 'truncated', 'deleted', 'inserted'):
            op.execute(f'DROP TRIGGER search_words_{trigger} ON practitioners')
        for function in (
            'practitioners_search_words()',
            'recount_search_words()',
            'count_search_words(text[], text[])',
            'search_words_of(text)',
        ):
            op.execute(f'DROP FUNCTION {function}')
        op.drop_index('ix_search_words_profiles', table_name='search_words')
    op.drop_table('search_words')
