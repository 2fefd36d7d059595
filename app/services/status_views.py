"""The parts of the status and health reports: Redis, workers, queue, watched companies, cache, quota."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field


class RedisOk(BaseModel):
    """A Redis server that answered."""

    status: Literal["ok"]
    target: str = Field(description="the server's URL without its password")
    latency_ms: float = Field(description="round trip of a PING")
    used_memory: str | None = Field(description="used_memory_human of INFO memory, e.g. 1.05M")


class RedisEmbedded(BaseModel):
    """The in-process store of embedded mode (no Redis server)."""

    status: Literal["embedded"]
    target: str = Field(description="embedded")
    latency_ms: float = Field(description="round trip of a PING")


class RedisUnavailable(BaseModel):
    """A Redis server that did not answer."""

    status: Literal["unavailable"]
    target: str = Field(description="the server's URL without its password")
    error: str = Field(description="the exception's type, e.g. ConnectionError")


RedisState = Annotated[RedisOk | RedisEmbedded | RedisUnavailable, Field(discriminator="status")]
