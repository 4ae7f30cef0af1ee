"""Extensions, created unbound and bound to the app in create_app."""

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from directory.core.api import DirectoryApi
from directory.core.rate_limits import limiter
from directory.core.replicas import RoutingSession

# Named constraints make migrations reviewable and their violations recognisable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})
migrate = Migrate()
jwt = JWTManager()
api = DirectoryApi()
cors = CORS()

__all__ = ["api", "cors", "db", "jwt", "limiter", "migrate"]
