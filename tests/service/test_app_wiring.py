"""Routers read the container of the app serving the request: apps coexist, tests override providers."""

from __future__ import annotations

import inspect

from dependency_injector import providers
from fastapi.testclient import TestClient

from app.api.deps import provided
from app.container import Container
from app.main import create_app
from tests.conftest import embedded_settings


def test_two_apps_in_one_process_each_use_their_own_container() -> None:
    first = create_app(embedded_settings(api={"trending_window_hours": 24}))
    second = create_app(embedded_settings())
    second.state.container.settings.override(providers.Object(embedded_settings(api={"loopback_admin": False})))
    with TestClient(first, client=("127.0.0.1", 1)) as a, TestClient(second, client=("127.0.0.1", 1)) as b:
        # The same route, the same request: each app answers from its own settings.
        assert a.get("/api/v1/system/admin").json()["via"] == "loopback"
        assert b.get("/api/v1/system/admin").json()["admin"] is False
        assert a.get("/api/v1/system/admin").json()["via"] == "loopback"  # building `second` changed nothing


def test_dependencies_are_awaited_on_the_event_loop() -> None:
    # A synchronous dependency would run in FastAPI's thread pool: one hop per dependency per request.
    dependency = provided(Container.search_service).dependency
    assert inspect.iscoroutinefunction(dependency)
