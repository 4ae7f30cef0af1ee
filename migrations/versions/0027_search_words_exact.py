"""the words of the directory count the profiles with an over-long word; words found by trigrams

A word of `q` lies inside one word of the search text (it has no space). Where exactly one word
of the directory holds it, the profiles that match are those that have that word, and their
number is that word's count: an exact total without counting the matches, and a page merged
from walks in rating order (search._one_word_walked) where they read fewer rows than sorting
every match. At 100,000 practitioners `lumiere` (4,340 matches) read and sorted every match in
10.9 ms, against 3.1 ms for the walks (bench/README.md).

That holds only if every word is counted, and words over 200 bytes are not (an index row's size
limit). So each profile with such a word is now counted once under the empty word, which no
word of `q` is inside (`'' LIKE '%x%'` is false): where that count is not zero, the search
counts its matches as before. The function changes under a lock on practitioners, and every
count is made again from the profiles (about 30 s at 1,000,000).

The search reads the words that hold `q`'s word by their trigrams: a directory's vocabulary
(names, clinics, every word of every biography) is large, and a LIKE on every word of it
would cost what the count saves.

As with 0025, a replica serves this once it has replayed it: deploy the code that reads the
empty word after the migration has reached every replica (with the old function, a profile
with an over-long word that holds the search's word would be missing from an exact total).

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-27

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None

LONGEST_WORD = 200  # bytes, as in 0025

WORDS_OF = """
CREATE OR REPLACE FUNCTION search_words_of(search_text text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT {word} FROM unnest(string_to_array(search_text, ' ')) AS word
    WHERE word <> ''{where}
$$;
"""
# Each over-long word as the empty word: a profile with any is counted there, once.
COUNTING_THE_OVER_LONG = WORDS_OF.format(
    word=f"CASE WHEN octet_length(word) <= {LONGEST_WORD} THEN word ELSE '' END", where=''
)
LEAVING_OUT_THE_OVER_LONG = WORDS_OF.format(  # 0025's
    word='word', where=f' AND octet_length(word) <= {LONGEST_WORD}'
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    _count_with(COUNTING_THE_OVER_LONG)
    op.create_index(
        'ix_search_words_word_trgm',
        'search_words',
        ['word'],
        postgresql_using='gin',
        postgresql_ops={'word': 'gin_trgm_ops'},
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_search_words_word_trgm', table_name='search_words')
    _count_with(LEAVING_OUT_THE_OVER_LONG)


def _count_with(words_of: str) -> None:
    # No profile changes between the new function and the counts it makes (the lock holds to
    # the end of the migration's transaction).
    op.execute('LOCK TABLE practitioners IN SHARE ROW EXCLUSIVE MODE')
    op.execute(words_of)
    op.execute('SELECT recount_search_words()')
