from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.mail import services
from directory.mail.schemas import (
    NotificationPreferencesSchema,
    OutboxListArgs,
    OutboxMailSchema,
    UnsubscribeArgs,
)
from directory.permissions import login_required

blp = DirectoryBlueprint(
    "mail",
    __name__,
    url_prefix="/api/v1",
    description="Mail: notification preferences, unsubscribe links, the outbox",
)


@blp.get("/auth/me/notifications")
@login_required()
@blp.response(200, NotificationPreferencesSchema)
def get_notification_preferences():
    """Which mails the caller receives"""
    return services.preferences_of(current_user.id)


@blp.put("/auth/me/notifications")
@login_required()
@blp.arguments(NotificationPreferencesSchema)
@blp.response(200, NotificationPreferencesSchema)
def update_notification_preferences(data):
    """Choose which mails the caller receives (security mails are always sent)"""
    return services.update_preferences(current_user.id, data)


@blp.post("/notifications/unsubscribe")
@blp.arguments(UnsubscribeArgs, location="query")
@blp.response(204)
@blp.alt_response(410, response="GONE", description="Unknown or invalid token")
def unsubscribe(args):
    """One-click unsubscribe (RFC 8058): turn off the category of the mail the link came in"""
    services.unsubscribe(args["token"])


@blp.get("/admin/outbox")
@login_required(Role.ADMIN)
@blp.arguments(OutboxListArgs, location="query")
@blp.paginated(OutboxMailSchema)
def list_outbox(args):
    """The mail outbox, newest first (admin)"""
    return services.outbox(args.get("status"))
