from flask_jwt_extended import current_user

from directory.accounts.models import Role
from directory.booking import services
from directory.booking.schemas import (
    AvailabilitySchema,
    AvailabilityWriteSchema,
    BookingRequestSchema,
    SlotArgs,
    SlotsSchema,
)
from directory.consultations.schemas import ConsultationSchema
from directory.core.api import DirectoryBlueprint
from directory.permissions import Access, availability_for, login_required, practitioner_for

blp = DirectoryBlueprint(
    "booking",
    __name__,
    url_prefix="/api/v1",
    description="Practitioners' availability, free slots and bookings",
)


@blp.get("/practitioners/<practitioner_id>/availability")
@blp.response(200, AvailabilitySchema)
def get_availability(practitioner_id):
    """Read a practitioner's schedule (404 when they publish none)"""
    return availability_for(practitioner_id)


@blp.put("/practitioners/<practitioner_id>/availability")
@login_required(Role.PRACTITIONER)
@blp.arguments(AvailabilityWriteSchema)
@blp.response(200, AvailabilitySchema)
def set_availability(data, practitioner_id):
    """Publish or replace the caller's schedule; existing bookings are kept (owner)"""
    practitioner = practitioner_for(current_user, practitioner_id, Access.OWN)
    return services.set_availability(practitioner, data)


@blp.get("/practitioners/<practitioner_id>/slots")
@blp.arguments(SlotArgs, location="query")
@blp.response(200, SlotsSchema)
def list_free_slots(args, practitioner_id):
    """The free slots of a range of local days, at most 31 (404 without a schedule)"""
    availability = availability_for(practitioner_id)
    free = services.free_slots(availability, args["first"], args["last"])
    return {"timezone": availability.timezone, "slots": free}


@blp.post("/practitioners/<practitioner_id>/bookings")
@login_required(Role.PATIENT)
@blp.arguments(BookingRequestSchema)
@blp.response(201, ConsultationSchema)
@blp.alt_response(409, response="CONFLICT")
def create_booking(data, practitioner_id):
    """Book a free slot: a confirmed consultation (patient)"""
    practitioner = practitioner_for(current_user, practitioner_id)
    return services.book(practitioner, current_user, **data)
