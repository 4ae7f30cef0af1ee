from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs
from directory.permissions import Access, login_required, practitioner_for, testimonial_for
from directory.testimonials import services
from directory.testimonials.schemas import (
    HelpfulVoteSchema,
    InvitationCreateSchema,
    InvitationSchema,
    ModeratedTestimonialSchema,
    ModerationQueueArgs,
    ReasonSchema,
    ReportSchema,
    ResponseWriteSchema,
    TestimonialCreateSchema,
    TestimonialListArgs,
    TestimonialSchema,
    TestimonialUpdateSchema,
)

blp = DirectoryBlueprint(
    "testimonials", __name__, url_prefix="/api/v1", description="Verified client testimonials"
)


@blp.get("/practitioners/<practitioner_id>/testimonials")
@blp.arguments(TestimonialListArgs, location="query")
@blp.paginated(TestimonialSchema)
def list_testimonials(args, practitioner_id):
    """Published testimonials of a practitioner"""
    practitioner = practitioner_for(None, practitioner_id)
    return services.published_testimonials(practitioner, **args)


@blp.post("/practitioners/<practitioner_id>/testimonials")
@login_required(Role.PATIENT)
@blp.arguments(TestimonialCreateSchema)
@blp.response(201, TestimonialSchema)
def write_testimonial(data, practitioner_id):
    """Review a practitioner, with a completed consultation or an invitation (patient)"""
    practitioner = practitioner_for(current_user, practitioner_id)
    return services.write_testimonial(practitioner, current_user, **data)


@blp.get("/practitioners/<practitioner_id>/invitations")
@login_required(Role.PRACTITIONER)
@blp.arguments(PageArgs, location="query")
@blp.paginated(InvitationSchema)
def list_invitations(args, practitioner_id):
    """The invitations you sent, newest first (owner; codes are never shown)"""
    return services.invitations_of(practitioner_for(current_user, practitioner_id, Access.OWN))


@blp.post("/practitioners/<practitioner_id>/invitations")
@login_required(Role.PRACTITIONER)
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def create_invitation(data, practitioner_id):
    """Invite a client to review you: a single-use code is mailed to them, valid 30 days"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.OWN)
    return services.invite(practitioner, data["email"])


@blp.patch("/testimonials/<testimonial_id>")
@login_required()
@blp.arguments(TestimonialUpdateSchema(partial=True), required=False)
@blp.response(200, TestimonialSchema)
def update_testimonial(data, testimonial_id):
    """Edit your testimonial (author)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.OWN)
    return services.edit_testimonial(testimonial, data)


@blp.delete("/testimonials/<testimonial_id>")
@login_required()
@blp.response(204)
def delete_testimonial(testimonial_id):
    """Delete a testimonial (author or admin)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.MANAGE)
    services.delete_testimonial(testimonial, current_user)


@blp.put("/testimonials/<testimonial_id>/response")
@login_required(Role.PRACTITIONER)
@blp.arguments(ResponseWriteSchema)
@blp.response(200, TestimonialSchema)
def respond_to_testimonial(data, testimonial_id):
    """Answer a testimonial publicly, or replace your answer (the reviewed practitioner)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.RESPOND)
    return services.respond(testimonial, data["body"])


@blp.put("/testimonials/<testimonial_id>/helpful")
@login_required()
@blp.response(200, HelpfulVoteSchema)
def vote_testimonial_helpful(testimonial_id):
    """Find a testimonial helpful (once per user; not its author)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.VOTE)
    return services.vote_helpful(testimonial, current_user)


@blp.delete("/testimonials/<testimonial_id>/helpful")
@login_required()
@blp.response(200, HelpfulVoteSchema)
def withdraw_testimonial_helpful(testimonial_id):
    """Withdraw your helpful vote"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.VOTE)
    return services.withdraw_helpful(testimonial, current_user)


@blp.post("/testimonials/<testimonial_id>/reports")
@login_required()
@blp.arguments(ReasonSchema)
@blp.response(201, ReportSchema)
def report_testimonial(data, testimonial_id):
    """Report a testimonial to the moderators (once per user)"""
    testimonial = testimonial_for(current_user, testimonial_id)
    return services.report(testimonial, current_user, data["reason"])


@blp.get("/admin/testimonials")
@login_required(Role.ADMIN)
@blp.arguments(ModerationQueueArgs, location="query")
@blp.paginated(ModeratedTestimonialSchema)
def list_moderation_queue(args):
    """The moderation queue: reported testimonials, oldest first (admin)"""
    return services.moderation_queue(args["status"])


@blp.post("/admin/testimonials/<testimonial_id>/hide")
@login_required(Role.ADMIN)
@blp.arguments(ReasonSchema)
@blp.response(200, ModeratedTestimonialSchema)
def hide_testimonial(data, testimonial_id):
    """Hide a testimonial from lists and the rating (admin)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.REVIEW)
    return services.hide(testimonial, current_user, data["reason"])


@blp.post("/admin/testimonials/<testimonial_id>/restore")
@login_required(Role.ADMIN)
@blp.response(200, ModeratedTestimonialSchema)
def restore_testimonial(testimonial_id):
    """Publish a hidden testimonial again (admin)"""
    testimonial = testimonial_for(current_user, testimonial_id, Access.REVIEW)
    return services.restore(testimonial, current_user)
