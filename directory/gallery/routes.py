from flask import Response
from flask_jwt_extended import current_user

from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs
from directory.core.uploads import IMAGE_FORMATS
from directory.core.urls import absolute_url
from directory.gallery import consents, services
from directory.gallery.models import SIDES, GalleryItem
from directory.gallery.schemas import (
    AskedConsentSchema,
    ConsentAnswerSchema,
    ConsentRequestSchema,
    ConsentSchema,
    GalleryItemSchema,
    GalleryListArgs,
    GalleryUploadSchema,
)
from directory.permissions import (
    Access,
    consent_for,
    gallery_item_for,
    login_optional,
    login_required,
    optional_user,
    practitioner_for,
    sees_private_records_of,
)

blp = DirectoryBlueprint(
    "gallery",
    __name__,
    url_prefix="/api/v1",
    description="Before/after galleries and the patients' photo consent",
)

PHOTO_CONTENT = {
    content_type: {"schema": {"type": "string", "format": "binary"}}
    for content_type, _ in IMAGE_FORMATS.values()
}


@blp.get("/practitioners/<practitioner_id>/gallery")
@login_optional
@blp.arguments(GalleryListArgs, location="query")
@blp.paginated(GalleryItemSchema)
def list_gallery_items(args, practitioner_id):
    """A practitioner's before/after results, newest first: granted ones for the public, every
    status for the owner and admins"""
    practitioner = practitioner_for(None, practitioner_id)
    every_status = sees_private_records_of(optional_user(), practitioner)
    return services.gallery_of(practitioner, args.get("treatment"), every_status)


@blp.post("/practitioners/<practitioner_id>/gallery")
@login_required()
@blp.arguments(GalleryUploadSchema, location="form_and_files")
@blp.response(201, GalleryItemSchema)
def create_gallery_item(data, practitioner_id):
    """Upload a before/after pair: the patient is asked by mail, and the item stays private
    until they grant consent (owner)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.OWN)
    images = {side: data.pop(side) for side in SIDES}
    return services.upload(practitioner, images, data.pop("patient_email"), data)


@blp.delete("/practitioners/<practitioner_id>/gallery/<item_id>")
@login_required()
@blp.response(204)
def delete_gallery_item(practitioner_id, item_id):
    """Delete a gallery item and its files (owner or admin)"""
    item = gallery_item_for(current_user, practitioner_id, item_id, Access.MANAGE)
    services.remove(item, current_user)


def _photo(token: str, item: GalleryItem, side: str) -> dict:
    def link(rendition: str) -> str:
        return absolute_url(
            "gallery.get_consent_photo", token=token, side=side, rendition=rendition
        )

    return {
        "url": link("full"),
        "thumbnail_url": link("thumbnail"),
        "width": getattr(item, f"{side}_width"),
        "height": getattr(item, f"{side}_height"),
    }


@blp.get("/consents/<token>")
@blp.response(200, ConsentRequestSchema)
@blp.alt_response(410, response="GONE", description="Unknown token, or the photos are deleted")
def get_consent_request(token):
    """What the patient is asked to publish, with the photos (the mailed token is the key)"""
    item = consents.item_for_token(token)
    photos = {side: _photo(token, item, side) for side in SIDES}
    return consents.ConsentRequest(item, **photos)


@blp.get("/consents/<token>/photos/<side>/<rendition>")
@blp.response(200, description="The photo, as it would be published")
@blp.doc(responses={200: {"content": PHOTO_CONTENT}})
@blp.alt_response(410, response="GONE", description="Unknown token, or the photos are deleted")
def get_consent_photo(token, side, rendition):
    """One photo of a consent request (the mailed token is the key; never cached)"""
    data, content_type = consents.photo_of(consents.item_for_token(token), side, rendition)
    response = Response(data, mimetype=content_type)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.post("/consents/<token>")
@blp.arguments(ConsentAnswerSchema)
@blp.response(200, ConsentSchema)
@blp.alt_response(410, response="GONE", description="Unknown token, or the photos are deleted")
def decide_consent(data, token):
    """The patient's decision: granted publishes the photos; declined or revoked (at any later
    time) deletes them and tells the practitioner"""
    return consents.decide(consents.item_for_token(token), data["decision"])


@blp.get("/auth/me/consents")
@login_required()
@blp.arguments(PageArgs, location="query")
@blp.paginated(AskedConsentSchema)
def list_my_consents(args):
    """The photo consents asked of the caller's verified email, newest first"""
    return consents.consents_asked_of(current_user)


@blp.delete("/auth/me/consents/<consent_id>")
@login_required()
@blp.response(204)
def revoke_my_consent(consent_id):
    """Revoke a photo consent: the item and its files are deleted, the practitioner told"""
    consents.withdraw(consent_for(current_user, consent_id))
