import marshmallow as ma

from directory.core.pagination import PageArgs
from directory.mail.models import MailEvent, OutboxStatus


class JSONBoolean(ma.fields.Boolean):
    """true or false, as JSON writes them: not 0, 1, "yes" (marshmallow's Boolean takes those,
    and the document says boolean)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class NotificationPreferencesSchema(ma.Schema):
    """Which mails a user receives; security, verification and photo-consent mails are always
    sent."""

    consultations = JSONBoolean(
        required=True, metadata={"description": "Consultation requests and their answers"}
    )
    bookings = JSONBoolean(
        required=True, metadata={"description": "Bookings, reminders, moves, cancellations"}
    )
    testimonials = JSONBoolean(
        required=True, metadata={"description": "Review requests, new reviews, answers, moderation"}
    )
    certifications = JSONBoolean(
        required=True, metadata={"description": "Verification and expiry of certifications"}
    )


class UnsubscribeArgs(ma.Schema):
    token = ma.fields.String(
        required=True,
        validate=ma.validate.Length(1, 500),
        metadata={"description": "The token of a mail's List-Unsubscribe link."},
    )


class OutboxListArgs(PageArgs):
    status = ma.fields.Enum(
        OutboxStatus,
        by_value=True,
        metadata={"description": "Only mails of this status (default: all)."},
    )


class OutboxMailSchema(ma.Schema):
    id = ma.fields.String(dump_only=True, required=True)
    event = ma.fields.Enum(MailEvent, by_value=True, dump_only=True, required=True)
    to = ma.fields.String(attribute="recipient", dump_only=True, required=True)
    subject = ma.fields.String(dump_only=True, required=True)
    status = ma.fields.Enum(OutboxStatus, by_value=True, dump_only=True, required=True)
    attempts = ma.fields.Integer(dump_only=True, required=True)
    last_error = ma.fields.String(dump_only=True, required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(dump_only=True, required=True)
    sent_at = ma.fields.AwareDateTime(dump_only=True, required=True, allow_none=True)
    next_attempt_at = ma.fields.AwareDateTime(
        dump_only=True,
        required=True,
        allow_none=True,
        metadata={"description": "When a pending mail is tried next; null once sent or failed"},
    )
