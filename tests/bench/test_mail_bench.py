"""`python -m bench mail` end to end, at a toy size, on SQLite (no server needed)."""

from bench.__main__ import main


def test_the_mail_bench_delivers_everything_and_prints_its_rate(capsys):
    main(["mail", "--mails", "20", "--batch-size", "8", "--database", "sqlite"])

    table = capsys.readouterr().out
    assert "| sqlite | 20 | 8 |" in table and "mails/s" in table
    assert table.rstrip().endswith("| 20 |")  # all 20 received by the SMTP server
