from sqlalchemy import select

from directory.core.api import DirectoryBlueprint
from directory.core.pagination import PageArgs, page_schema, paginate
from directory.treatments.models import Treatment
from directory.treatments.schemas import TreatmentSchema

blp = DirectoryBlueprint(
    "treatments", __name__, url_prefix="/api/v1/treatments", description="Reference treatments"
)


@blp.get("")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(TreatmentSchema))
def list_treatments(args):
    """List the treatments practitioners can offer"""
    return paginate(select(Treatment).order_by(Treatment.name, Treatment.slug), **args)
