from flask.views import MethodView
from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.core.api import DirectoryBlueprint
from directory.core.pagination import page_schema, paginate
from directory.core.permissions import (
    ensure_author,
    ensure_author_or_admin,
    ensure_can_see_testimonial,
    ensure_owner,
    login_required,
)
from directory.practitioners.services import live_practitioner
from directory.testimonials import services
from directory.testimonials.schemas import (
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


def _visible(testimonial_id: str):
    testimonial = services.find_testimonial(testimonial_id)
    ensure_can_see_testimonial(current_user, testimonial)
    return testimonial


@blp.route("/practitioners/<practitioner_id>/testimonials")
class Testimonials(MethodView):
    @blp.arguments(TestimonialListArgs, location="query")
    @blp.response(200, page_schema(TestimonialSchema))
    def get(self, args, practitioner_id):
        """Published testimonials of a practitioner"""
        practitioner = live_practitioner(practitioner_id)
        page = {"page": args.pop("page"), "per_page": args.pop("per_page")}
        return paginate(services.published_testimonials(practitioner, args), **page)

    @login_required(Role.PATIENT)
    @blp.arguments(TestimonialCreateSchema)
    @blp.response(201, TestimonialSchema)
    def post(self, data, practitioner_id):
        """Review a practitioner, with a completed consultation or an invitation (patient)"""
        practitioner = live_practitioner(practitioner_id)
        return services.write_testimonial(practitioner, current_user, data)


@blp.post("/practitioners/<practitioner_id>/invitations")
@login_required(Role.PRACTITIONER)
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def invite(data, practitioner_id):
    """Invite a client to review you: a single-use code for their email, valid 30 days"""
    practitioner = live_practitioner(practitioner_id)
    ensure_owner(current_user, practitioner)
    return services.invite(practitioner, data["email"])


@blp.route("/testimonials/<testimonial_id>")
class TestimonialItem(MethodView):
    @login_required()
    @blp.arguments(TestimonialUpdateSchema(partial=True), required=False)
    @blp.response(200, TestimonialSchema)
    def patch(self, data, testimonial_id):
        """Edit your testimonial's rating, title or body (author)"""
        testimonial = _visible(testimonial_id)
        ensure_author(current_user, testimonial)
        return services.edit_testimonial(testimonial, data)

    @login_required()
    @blp.response(204)
    def delete(self, testimonial_id):
        """Delete a testimonial (author or admin)"""
        testimonial = _visible(testimonial_id)
        ensure_author_or_admin(current_user, testimonial)
        services.delete_testimonial(testimonial, current_user)


@blp.put("/testimonials/<testimonial_id>/response")
@login_required(Role.PRACTITIONER)
@blp.arguments(ResponseWriteSchema)
@blp.response(200, TestimonialSchema)
def respond(data, testimonial_id):
    """Answer a testimonial publicly, or replace your answer (the reviewed practitioner)"""
    return services.respond(_visible(testimonial_id), current_user, data["body"])


@blp.post("/testimonials/<testimonial_id>/reports")
@login_required()
@blp.arguments(ReasonSchema)
@blp.response(201, ReportSchema)
def report(data, testimonial_id):
    """Report a testimonial to the moderators (once per user)"""
    return services.report(_visible(testimonial_id), current_user, data["reason"])


@blp.get("/admin/testimonials")
@login_required(Role.ADMIN)
@blp.arguments(ModerationQueueArgs, location="query")
@blp.response(200, page_schema(ModeratedTestimonialSchema))
def moderation_queue(args):
    """The moderation queue: reported testimonials, oldest first (admin)"""
    return paginate(services.moderation_queue(args.pop("status")), **args)


@blp.post("/admin/testimonials/<testimonial_id>/hide")
@login_required(Role.ADMIN)
@blp.arguments(ReasonSchema)
@blp.response(200, ModeratedTestimonialSchema)
def hide(data, testimonial_id):
    """Hide a testimonial from lists and the rating (admin)"""
    return services.hide(services.find_testimonial(testimonial_id), current_user, data["reason"])


@blp.post("/admin/testimonials/<testimonial_id>/restore")
@login_required(Role.ADMIN)
@blp.response(200, ModeratedTestimonialSchema)
def restore(testimonial_id):
    """Publish a hidden testimonial again (admin)"""
    return services.restore(services.find_testimonial(testimonial_id), current_user)
