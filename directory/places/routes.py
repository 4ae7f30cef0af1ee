from directory.core.api import DirectoryBlueprint
from directory.places.schemas import SuggestArgs, SuggestionsSchema
from directory.places.suggestions import suggest

blp = DirectoryBlueprint(
    "places", __name__, url_prefix="/api/v1", description="Places and search suggestions"
)


@blp.get("/suggest")
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, SuggestionsSchema)
def suggestions(args):
    """Suggest treatments, places and practitioners for what a patient is typing"""
    return suggest(args["q"], args["limit"])
