"""Shared pydantic base for user-written input: frozen, unknown keys refused, described fields."""

from pydantic import BaseModel, ConfigDict, Field

Share = Field(ge=0.0, le=1.0)


class Input(BaseModel):
    """Base of every user-facing input model: strict about unknown keys, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
