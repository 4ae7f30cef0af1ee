from flask.views import MethodView
from flask_jwt_extended import current_user

from directory.core.api import DirectoryBlueprint
from directory.core.pagination import page_schema, paginate
from directory.core.permissions import ensure_can_manage_profile, ensure_owner, login_required
from directory.gallery import services
from directory.gallery.schemas import GalleryItemSchema, GalleryListArgs, GalleryUploadSchema
from directory.practitioners.services import live_practitioner

blp = DirectoryBlueprint(
    "gallery", __name__, url_prefix="/api/v1/practitioners", description="Before/after galleries"
)


@blp.route("/<practitioner_id>/gallery")
class Gallery(MethodView):
    @blp.arguments(GalleryListArgs, location="query")
    @blp.response(200, page_schema(GalleryItemSchema))
    def get(self, args, practitioner_id):
        """A practitioner's before/after results, newest first"""
        practitioner = live_practitioner(practitioner_id)
        statement = services.gallery_of(practitioner, args.pop("treatment", None))
        return paginate(statement, **args)

    @login_required()
    @blp.arguments(GalleryUploadSchema, location="form_and_files")
    @blp.response(201, GalleryItemSchema)
    def post(self, data, practitioner_id):
        """Publish a before/after pair, with the patient's written consent (owner)"""
        practitioner = live_practitioner(practitioner_id)
        ensure_owner(current_user, practitioner)
        return services.publish(practitioner, data)


@blp.delete("/<practitioner_id>/gallery/<item_id>")
@login_required()
@blp.response(204)
def delete_item(practitioner_id, item_id):
    """Delete a gallery item and its files (owner or admin)"""
    practitioner = live_practitioner(practitioner_id)
    item = services.gallery_item_of(practitioner, item_id)
    ensure_can_manage_profile(current_user, practitioner)
    services.remove(item, current_user)
