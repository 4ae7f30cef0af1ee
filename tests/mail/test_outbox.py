"""enqueue: a mail is a row of the caller's transaction, and preferences decide what is queued."""

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.mail.models import OutboxMail, OutboxStatus
from directory.mail.outbox import MailEvent, enqueue, frontend_link
from directory.mail.services import mails_sent_to, update_preferences
from tests.mail.conftest import parsed, unique_address, unsubscribe_url_of


def outbox_rows(to: str) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.recipient == to)))


def test_a_mail_exists_once_its_callers_transaction_commits(app):
    to = unique_address()
    with app.app_context():
        mail = enqueue(MailEvent.ACCOUNT_DELETED, to, {"name": "Zoé"})
        assert outbox_rows(to) == [mail]  # visible inside the transaction (flushed on query)
        db.session.commit()

    with app.app_context():
        (row,) = outbox_rows(to)
        assert row.status == OutboxStatus.PENDING
        assert row.subject == "Your account was deleted"
        message = parsed(row.message)
        assert message["Message-ID"] == row.message_id
        assert "Hello Zoé," in message.get_body(("plain",)).get_content()
        assert "<p>Hello Zoé,</p>" in message.get_body(("html",)).get_content()
        assert row.message_id.startswith("<") and row.message_id.endswith(">")
        assert row.attempts == 0 and row.sent_at is None and row.next_attempt_at is not None


def test_a_rolled_back_transaction_queues_nothing(app):
    to = unique_address()
    with app.app_context():
        enqueue("password-changed", to, {"name": "Zoé"})
        db.session.rollback()

    with app.app_context():
        assert outbox_rows(to) == []


def test_enqueue_does_not_commit_for_the_caller(app):
    to = unique_address()
    with app.app_context():
        enqueue(MailEvent.PASSWORD_CHANGED, to, {"name": "Zoé"})
        db.session.remove()  # the caller's request ends without a commit

    with app.app_context():
        assert outbox_rows(to) == []


def test_a_category_turned_off_queues_nothing_for_that_user(app, make_user):
    user = make_user()
    with app.app_context():
        update_preferences(user.id, {"consultations": False})

        skipped = enqueue(
            MailEvent.CONSULTATION_CONFIRMED, user.email, {"name": "Zoé"}, user_id=user.id
        )
        enqueue(MailEvent.BOOKING_CONFIRMED, user.email, {"name": "Zoé"}, user_id=user.id)
        db.session.commit()

        assert skipped is None
        assert [row.event for row in outbox_rows(user.email)] == [MailEvent.BOOKING_CONFIRMED]


def test_preferences_apply_by_address_when_no_user_id_is_given(app, make_user):
    user = make_user()
    with app.app_context():
        update_preferences(user.id, {"testimonials": False})

        assert enqueue(MailEvent.REVIEW_REQUEST, user.email.upper(), {"name": "Zoé"}) is None


def test_security_and_consent_mails_are_sent_whatever_the_preferences(app, make_user):
    user = make_user()
    everything_off = dict.fromkeys(("consultations", "bookings", "testimonials", "certifications"))
    with app.app_context():
        update_preferences(user.id, {name: False for name in everything_off})
        always = [
            MailEvent.PASSWORD_RESET,
            MailEvent.EMAIL_VERIFICATION,
            MailEvent.INVITATION,
            MailEvent.GALLERY_CONSENT_REQUEST,
        ]
        queued = [enqueue(event, user.email, {"name": "Zoé"}, user_id=user.id) for event in always]
        db.session.commit()

        assert all(mail is not None for mail in queued)
        assert all(unsubscribe_url_of(mail.message) is None for mail in queued)


def test_mails_a_preference_can_turn_off_carry_an_unsubscribe_link(app, make_user):
    user = make_user()
    with app.app_context():
        mail = enqueue(MailEvent.BOOKING_REMINDER, user.email, {"name": "Zoé"}, user_id=user.id)

        url = unsubscribe_url_of(mail.message)
        assert url.startswith("http://127.0.0.1:3000/unsubscribe?token=")
        assert url in parsed(mail.message).get_body(("plain",)).get_content()
        assert mail.user_id == user.id


def test_unknown_events_and_addresses_are_programming_errors(app):
    with app.app_context():
        with pytest.raises(ValueError):
            enqueue("newsletter", unique_address(), {"name": "Zoé"})
        with pytest.raises(ValueError):
            enqueue(MailEvent.PASSWORD_RESET, "a@example.org\r\nBcc: b@example.org", {})
        with pytest.raises(ValueError):
            enqueue(MailEvent.PASSWORD_RESET, "not an address", {})


def test_frontend_links_are_absolute_and_encoded(app):
    with app.app_context():
        assert frontend_link("/reset-password", token="a+b/c") == (
            "http://127.0.0.1:3000/reset-password?token=a%2Bb%2Fc"
        )
        assert frontend_link("review", code="X1", consultation=None) == (
            "http://127.0.0.1:3000/review?code=X1"
        )
        assert frontend_link("/unsubscribe") == "http://127.0.0.1:3000/unsubscribe"


def test_frontend_links_follow_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "FRONTEND_URL", "https://app.example.org/")
    with app.app_context():
        assert frontend_link("/verify-email", token="t") == (
            "https://app.example.org/verify-email?token=t"
        )


def test_the_privacy_export_lists_the_mails_sent_to_a_user(app, make_user):
    user = make_user()
    with app.app_context():
        sent = enqueue(MailEvent.PASSWORD_CHANGED, user.email, {"name": "Zoé"}, user_id=user.id)
        enqueue(MailEvent.BOOKING_REMINDER, user.email, {"name": "Zoé"}, user_id=user.id)
        db.session.flush()
        sent.status, sent.sent_at = OutboxStatus.SENT, sent.created_at
        db.session.commit()

        assert mails_sent_to(user.id) == [
            {
                "event": "password-changed",
                "subject": "Your password was changed",
                "sent_at": sent.created_at,
            }
        ]


def test_a_mail_to_an_account_made_in_the_same_transaction_is_that_accounts(app):
    from directory.accounts.models import Role, User

    with app.app_context():
        user = User(email=unique_address(), password_hash="x", full_name="Zoé", role=Role.PATIENT)
        db.session.add(user)
        mail = enqueue(MailEvent.EMAIL_VERIFICATION, user.email, {"name": "Zoé"}, user_id=user.id)
        db.session.commit()

        assert mail.user_id == user.id is not None
