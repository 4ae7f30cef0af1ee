"""Every mail has a subject, a text part and an HTML part, renders with only `name` and `link`,
and escapes what it is given in its HTML."""

import pytest

from directory.mail.models import CATEGORY_OF, MailCategory, MailEvent
from directory.mail.templates import MAILS, format_day, format_when, render

LINK = "https://app.example.org/somewhere?token=abc&x=1"


def test_every_event_has_a_template_and_a_category_decision():
    assert set(MAILS) == set(MailEvent) == set(CATEGORY_OF)


@pytest.mark.parametrize("event", list(MailEvent))
def test_every_mail_renders_with_only_a_name_and_a_link(event):
    mail = render(event, {"name": "Zoé", "link": LINK})

    assert mail.subject and "\n" not in mail.subject and "None" not in mail.subject
    assert mail.text.startswith("Hello Zoé,\n")
    assert "None" not in mail.text and "None" not in mail.html
    assert "{{" not in mail.text and "{%" not in mail.html
    if MAILS[event].action:
        assert LINK in mail.text
        assert 'href="https://app.example.org/somewhere?token=abc&amp;x=1"' in mail.html


@pytest.mark.parametrize("event", list(MailEvent))
def test_every_mail_renders_with_nothing_at_all(event):
    mail = render(event, {})

    assert mail.text.startswith("Hello there,\n") and mail.subject


@pytest.mark.parametrize("event", list(MailEvent))
def test_values_are_escaped_in_html(event):
    hostile = "<script>alert(1)</script>"
    context = {key: hostile for key in ("name", "practitioner_name", "patient_name", "reason")}
    context |= {"other_party": hostile, "treatment": hostile, "message": hostile, "link": LINK}

    mail = render(event, context)

    assert "<script>" not in mail.html


def test_values_given_as_none_render_as_nothing():
    mail = render(MailEvent.CONSULTATION_DECLINED, {"name": None, "reason": None})

    assert "Hello there," in mail.text and "None" not in mail.text
    assert "reason" not in mail.text


def test_a_mail_with_its_details():
    mail = render(
        MailEvent.BOOKING_MOVED,
        {
            "name": "Zoé",
            "link": LINK,
            "other_party": "Dr Camille Durand",
            "treatment": "Anti-aging",
            "previous_starts_at": "2026-03-02T09:00:00+01:00",
            "starts_at": "2026-03-03T14:30:00+01:00",
        },
        unsubscribe_url="https://app.example.org/unsubscribe?token=t",
    )

    assert (
        "Dr Camille Durand moved the appointment for Anti-aging from Monday 2 March 2026 at "
        "09:00 (UTC+01:00) to Tuesday 3 March 2026 at 14:30 (UTC+01:00)."
    ) in mail.text
    assert "https://app.example.org/unsubscribe?token=t" in mail.text
    assert 'href="https://app.example.org/unsubscribe?token=t"' in mail.html


def test_dates_read_as_dates_and_anything_else_as_given():
    assert format_when("2026-03-03T14:30:00Z") == "Tuesday 3 March 2026 at 14:30 (UTC)"
    assert format_when("tomorrow at noon") == "tomorrow at noon"
    assert format_day("2026-03-03") == "3 March 2026"
    assert format_day("") == ""


def test_the_categories_are_the_preferences():
    assert {c for c in CATEGORY_OF.values() if c} == set(MailCategory)
    assert CATEGORY_OF[MailEvent.PASSWORD_RESET] is None
    assert CATEGORY_OF[MailEvent.BOOKING_REMINDER] == MailCategory.BOOKINGS
