"""`news-service export-feedback`: analyst labels as a training file that `news-service train` reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    import httpx

EXPORT_PATH = "/api/v1/dashboard/feedback/export"


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _from_store() -> list[dict[str, str]]:
    """Rows from this deployment's store: Redis (REDIS_URL), or the embedded data directory."""
    import asyncio

    from app.container import create_container, resolve, running
    from app.errors import AppError
    from app.settings import Settings

    settings = Settings()
    if settings.redis.embedded and not settings.redis.embedded_data_dir:
        _fail(
            "REDIS_URL and EMBEDDED_DATA_DIR are not set: the labels live only inside the API process. "
            "Export them from the running server with --server http://localhost:8002 "
            "(admin key from --api-key or ADMIN_API_KEY)"
        )

    async def run() -> list[dict[str, str]]:
        async with running(create_container(settings)) as container:
            return await (await resolve(container.feedback_service)).training_rows()

    try:
        return asyncio.run(run())
    except AppError as exc:
        _fail(f"{exc.error_type}: {exc.message}")
        raise


def fetch_from_server(client: httpx.Client, server: str, api_key: str) -> list[dict[str, str]]:
    """Rows from a running server's `GET /api/v1/dashboard/feedback/export` (JSONL)."""
    import json

    import httpx

    try:
        response = client.get(f"{server.rstrip('/')}{EXPORT_PATH}", params={"format": "jsonl"},
                              headers={"X-API-Key": api_key} if api_key else {})
    except httpx.HTTPError as exc:
        _fail(f"cannot reach {server}: {type(exc).__name__}")
        raise
    if response.status_code != 200:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            detail = response.text[:200]
        _fail(f"{server} answered {response.status_code}: {detail}")
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def write_rows(rows: list[dict[str, str]], output: Path | None, fmt: Literal["jsonl", "csv"]) -> None:
    """Write the rows to `output` (stdout when None); CSV gets a BOM so Excel reads the Korean text."""
    from app.services.feedback import to_csv, to_jsonl

    text = to_jsonl(rows) if fmt == "jsonl" else "\ufeff" + to_csv(rows)
    if output is None:
        sys.stdout.write(text.removeprefix("\ufeff"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")


def export_feedback(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")
    ] = None,
    fmt: Annotated[
        Literal["jsonl", "csv"] | None,
        typer.Option("--format", "-f", help="jsonl or csv (default: from --output's extension, else jsonl)"),
    ] = None,
    server: Annotated[
        str | None, typer.Option(help="read from a running API (needed in embedded mode), e.g. http://localhost:8002")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option(help="admin key for --server (default: ADMIN_API_KEY)", show_default=False)
    ] = None,
) -> None:
    """Write analyst labels ({title, description, category, sentiment, company}) for `news-service train`."""
    csv_file = output is not None and output.suffix.lower() == ".csv"
    by_suffix: Literal["jsonl", "csv"] = "csv" if csv_file else "jsonl"
    chosen: Literal["jsonl", "csv"] = fmt or by_suffix
    if server:
        import httpx

        from app.settings import ApiSettings

        key = api_key or ApiSettings().admin_api_key.get_secret_value()
        with httpx.Client(timeout=30) as client:
            rows = fetch_from_server(client, server, key)
    else:
        rows = _from_store()
    if not rows:
        _fail("no analyst labels stored yet (POST /api/v1/dashboard/articles/{id}/label)")
    write_rows(rows, output, chosen)
    if output is not None:
        typer.echo(f"wrote {len(rows)} labeled rows to {output} ({chosen}); "
                   f"train with: news-service train --data {output}", err=True)
