from sqlalchemy import select

from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs
from directory.treatments.models import Treatment
from directory.treatments.schemas import TreatmentSchema

blp = DirectoryBlueprint(
    "treatments", __name__, url_prefix="/api/v1", description="Reference treatments"
)


@blp.get("/treatments")
@blp.arguments(PageArgs, location="query")
@blp.paginated(TreatmentSchema)
def list_treatments(args):
    """List the treatments practitioners can offer"""
    return select(Treatment).order_by(Treatment.name, Treatment.slug)
