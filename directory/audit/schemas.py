import marshmallow as ma

from directory.core.api import ResponseSchema


class AuditEntrySchema(ResponseSchema):
    id = ma.fields.String(dump_only=True)
    actor_id = ma.fields.String(dump_only=True)
    action = ma.fields.String(dump_only=True, metadata={"example": "certification.verify"})
    target_type = ma.fields.String(dump_only=True, metadata={"example": "certification"})
    target_id = ma.fields.String(dump_only=True)
    detail = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        dump_only=True,
        metadata={"example": {"reason": "Not a real license"}},
    )
    created_at = ma.fields.AwareDateTime(dump_only=True)
