from flask_jwt_extended import current_user

from directory.core.api import DirectoryBlueprint
from directory.gallery import services
from directory.gallery.models import SIDES
from directory.gallery.schemas import GalleryItemSchema, GalleryListArgs, GalleryUploadSchema
from directory.permissions import Access, gallery_item_for, login_required, practitioner_for

blp = DirectoryBlueprint(
    "gallery", __name__, url_prefix="/api/v1", description="Before/after galleries"
)


@blp.get("/practitioners/<practitioner_id>/gallery")
@blp.arguments(GalleryListArgs, location="query")
@blp.paginated(GalleryItemSchema)
def list_gallery_items(args, practitioner_id):
    """A practitioner's before/after results, newest first"""
    practitioner = practitioner_for(None, practitioner_id)
    return services.gallery_of(practitioner, args.get("treatment"))


@blp.post("/practitioners/<practitioner_id>/gallery")
@login_required()
@blp.arguments(GalleryUploadSchema, location="form_and_files")
@blp.response(201, GalleryItemSchema)
def create_gallery_item(data, practitioner_id):
    """Publish a before/after pair, with the patient's written consent (owner)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.OWN)
    images = {side: data[side] for side in SIDES}
    details = {k: v for k, v in data.items() if k not in SIDES and k != "consent"}
    return services.publish(practitioner, images, details)


@blp.delete("/practitioners/<practitioner_id>/gallery/<item_id>")
@login_required()
@blp.response(204)
def delete_gallery_item(practitioner_id, item_id):
    """Delete a gallery item and its files (owner or admin)"""
    item = gallery_item_for(current_user, practitioner_id, item_id, Access.MANAGE)
    services.remove(item, current_user)
