"""The `news-service` command: serve, search, analyze, train, evaluate, worker, beat."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn, TypeVar, cast

import typer

from app.feedback_cli import export_feedback

if TYPE_CHECKING:
    from app.container import Container

main = typer.Typer(
    name="news-service",
    help="Korean company-news search and ESG/sentiment analysis service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
T = TypeVar("T")


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _run_in_container(work: Callable[[Container], Awaitable[T]]) -> T:
    """Build the container from the environment, run `work`, close clients; AppErrors become exit 1."""
    from app.container import create_container, running
    from app.errors import AppError
    from app.settings import Settings

    async def runner() -> T:
        async with running(create_container(Settings())) as container:
            return await work(container)

    try:
        return asyncio.run(runner())
    except AppError as exc:
        _fail(f"{exc.error_type}: {exc.message}")
        raise  # unreachable; _fail exits


@main.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "0.0.0.0",  # noqa: S104 - a server
    port: Annotated[int | None, typer.Option(help="port (default: PORT or 8002)")] = None,
    reload: Annotated[bool, typer.Option(help="restart on code changes (development)")] = False,
    workers: Annotated[int, typer.Option(min=1, help="uvicorn worker processes")] = 1,
) -> None:
    """Start the HTTP API (embedded mode unless REDIS_URL is set)."""
    from functools import partial

    import uvicorn

    from app.http_server import HeadLimits, LimitedHttpToolsProtocol
    from app.logging_setup import logging_config
    from app.settings import Settings

    settings = Settings()
    port = port or settings.api.port
    if workers > 1 and not reload and settings.redis.embedded:
        # Each process would keep its own store: a trigger in one and the history in another disagree.
        _fail(f"--workers {workers} needs REDIS_URL: embedded mode keeps its store in one process "
              "(run one worker, or set REDIS_URL so every worker shares Redis)", code=2)
    _check_port(host, port)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        # uvicorn applies this in this process and again in each --workers / --reload child, which inherit no
        # logging: one configuration for all of them.
        log_config=logging_config(settings.api.log_level, settings.api.log_format),
        access_log=False,
        # uvicorn calls the protocol like a class; a partial (not a subclass made here) survives the pickling
        # that --workers and --reload do to start their processes.
        http=cast(Any, partial(LimitedHttpToolsProtocol, limits=HeadLimits.from_settings(settings.api))),
    )


def _check_port(host: str, port: int) -> None:
    """Fail at once if `host:port` cannot be bound (uvicorn would find out after loading the models)."""
    import errno
    import socket

    hint = "choose a free port with PORT=<port> or --port <port>"
    try:
        addresses = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        _fail(f"cannot listen on {host}: {exc.strerror} (check --host)")
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            # As uvicorn does: a port a stopped server left in TIME_WAIT can be bound again at once.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    _fail(f"port {port} on {host} is already in use; {hint}")
                if exc.errno == errno.EACCES:
                    _fail(f"port {port} on {host} needs privileges this user lacks; {hint}")
                _fail(f"cannot listen on {host}:{port}: {exc.strerror} (check --host and PORT/--port)")


@main.command()
def search(
    query: Annotated[str, typer.Argument(help="search term, e.g. 삼성전자")],
    max_results: Annotated[int, typer.Option("--max-results", "-n", min=1, max=1000)] = 10,
    sort: Annotated[str, typer.Option(help="sim (relevance) or date")] = "sim",
    as_json: Annotated[bool, typer.Option("--json", help="print the API response body")] = False,
    force_refresh: Annotated[bool, typer.Option("--force-refresh", help="skip the cache")] = False,
) -> None:
    """Search news (deduplicated) and print a table or JSON."""
    from app.api.schemas import SearchResponse, clean_term
    from app.errors import InvalidInput

    if sort not in ("sim", "date"):
        _fail("--sort must be 'sim' or 'date'", 2)
    try:
        term = clean_term(query)
    except InvalidInput as exc:
        _fail(exc.message, 2)
    order: Literal["sim", "date"] = "date" if sort == "date" else "sim"

    async def work(container: Container) -> tuple[SearchResponse, dict[str, Any] | None]:
        from app.container import resolve

        service = await resolve(container.search_service)
        outcome = await service.search(
            term, max_results=max_results, sort=order, force_refresh=force_refresh
        )
        coverage = None if outcome.result.items else await _source_report(container)
        return SearchResponse.from_outcome(outcome), coverage

    response, coverage = _run_in_container(work)
    if as_json:
        sys.stdout.write(response.model_dump_json(indent=2) + "\n")
        return
    if not response.items:
        _not_found(term, coverage)
    _print_search(response)


def _print_search(response: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    meta, dedup = response.search_metadata, response.deduplication
    table = Table(
        title=f"'{meta.query}' — {meta.returned_count} stories from {dedup.articles_read} articles read "
        f"({meta.total_found} found on {meta.source}, cache {'hit' if meta.cache_hit else 'miss'})",
        show_lines=False,
    )
    table.add_column("#", justify="right")
    table.add_column("date")
    table.add_column("press")
    table.add_column("title", overflow="fold")
    table.add_column("outlets", justify="right")
    for i, item in enumerate(response.items, 1):
        date = item.published_date.strftime("%Y-%m-%d %H:%M") if item.published_date else "-"
        outlets = len({s.press for s in item.sources}) if item.sources else 1
        table.add_row(str(i), date, item.news_source, item.title, str(outlets) if outlets > 1 else "")
    Console().print(table)


@main.command()
def analyze(
    company: Annotated[str, typer.Argument(help="company name, e.g. 삼성전자")],
    max_results: Annotated[int, typer.Option("--max-results", "-n", min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="print the API response body")] = False,
    force_refresh: Annotated[bool, typer.Option("--force-refresh", help="skip the caches")] = False,
) -> None:
    """Classify a company's news by ESG category and sentiment; print a table or JSON."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from app.api.analysis_schemas import AnalysisResponse
    from app.api.schemas import clean_term
    from app.errors import InvalidInput

    try:
        name = clean_term(company, "company")
    except InvalidInput as exc:
        _fail(exc.message, 2)

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=as_json,
        transient=True,
    )

    async def work(container: Container) -> tuple[AnalysisResponse, dict[str, Any] | None]:
        from app.container import resolve

        classifier = container.classifier()
        with progress:
            loading = progress.add_task("loading models", total=None)
            await asyncio.to_thread(classifier.load)
            progress.update(loading, total=1, completed=1)
            task = progress.add_task(f"analysing '{name}'", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            service = await resolve(container.analysis_service)
            try:
                outcome = await service.analyze(
                    name, max_results=max_results, force_refresh=force_refresh, on_progress=advance
                )
            finally:
                classifier.close()
        coverage = None if outcome.result.items else await _source_report(container)
        return AnalysisResponse.from_outcome(outcome), coverage

    response, coverage = _run_in_container(work)
    if as_json:
        sys.stdout.write(response.model_dump_json(indent=2) + "\n")
        return
    if not response.analyzed_news:
        _not_found(name, coverage)
    _print_analysis(response)


async def _source_report(container: Container) -> dict[str, Any]:
    from app.container import resolve

    return (await (await resolve(container.system_service)).source()).model_dump()


def _not_found(term: str, source: dict[str, Any] | None) -> NoReturn:
    """One clear line instead of an empty table; offline, which companies the archive covers. Exit 1."""
    lines = [f"뉴스를 찾지 못했습니다: '{term}'"]
    archive = (source or {}).get("archive")
    if archive:
        names = [c["company"] for c in archive["companies"]]
        lines.append(f"오프라인 아카이브(기사 {archive['items']:,}건)에서 검색했습니다.")
        if names:
            lines.append(f"아카이브가 다루는 기업 {len(names)}곳: {', '.join(names)}")
    else:
        lines.append("기업명을 확인하거나 다른 이름으로 검색해 보세요.")
    sys.stderr.write("\n".join(lines) + "\n")
    raise typer.Exit(1)


def _print_analysis(response: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    meta, summary = response.analysis_metadata, response.summary
    console = Console()
    table = Table(
        title=f"'{meta.company}' — {meta.analyzed_count} articles, {meta.ml_service_status} "
        f"'{meta.model_name}' on {meta.device}, {meta.processing_time_ms:.0f} ms"
    )
    table.add_column("ESG", justify="center")
    table.add_column("sentiment", justify="center")
    table.add_column("conf.", justify="right")
    table.add_column("title", overflow="fold")
    for item in response.analyzed_news:
        esg, sentiment = item.esg_classification, item.sentiment_analysis
        table.add_row(
            esg.category, sentiment.label, f"{esg.confidence:.2f}/{sentiment.confidence:.2f}", item.title
        )
    console.print(table)
    console.print(_summary_table(summary))
    keywords = ", ".join(summary.top_keywords) or "-"
    console.print(f"부정 비율 {summary.negative_ratio:.1%} · 키워드: {keywords}")
    if meta.fallback_reason:
        console.print(f"[yellow]keyword fallback: {meta.fallback_reason}[/yellow]")


def _summary_table(summary: Any) -> Any:
    """Stories per ESG category (rows) and sentiment (columns), with totals."""
    from rich.table import Table

    sentiments = list(summary.sentiment_distribution)
    table = Table(title="요약: 분류 × 감성 (사건 수)")
    table.add_column("ESG")
    for label in sentiments:
        table.add_column(label, justify="right")
    table.add_column("합계", justify="right")
    for category, counts in summary.sentiment_by_category.items():
        table.add_row(category, *(str(counts.get(s, 0)) for s in sentiments), str(sum(counts.values())))
    table.add_row(
        "합계", *(str(summary.sentiment_distribution[s]) for s in sentiments), str(summary.total_analyzed),
        style="bold",
    )
    return table


# The worker entry module (`celery -A` target): named here, imported only by Celery in the worker process.
WORKER_APP = "app.workers.worker"


def _celery_settings(log_level: str | None) -> tuple[Any, str]:
    from app.logging_setup import configure_logging
    from app.settings import Settings

    settings = Settings()
    configure_logging(log_level or settings.api.log_level, settings.api.log_format)
    if not settings.broker_url:
        _fail("REDIS_URL (or CELERY_BROKER_URL) is not set; in embedded mode the API runs background jobs")
    return settings, (log_level or settings.api.log_level).upper()


def _run_celery(argv: list[str]) -> None:
    """`celery --app app.workers.worker <argv>` in this process (what `Celery.start` does for an app)."""
    from celery.bin.celery import celery

    celery.main(args=["--app", WORKER_APP, *argv], prog_name="celery", standalone_mode=False)


@main.command()
def worker(
    concurrency: Annotated[int, typer.Option(min=1, help="worker processes (each loads the models)")] = 1,
    pool: Annotated[str, typer.Option(help="prefork (default), solo or threads")] = "prefork",
    hostname: Annotated[str | None, typer.Option(help="node name (default news@<host>)")] = None,
    log_level: Annotated[str | None, typer.Option(help="default: LOG_LEVEL")] = None,
) -> None:
    """Start a Celery worker for background analyses (needs REDIS_URL); see docs/background.md."""
    from app.settings import Settings
    from app.workers.metrics_server import prepare_multiprocess_dir

    # First: prometheus_client picks in-memory or file-backed values once, when app.metrics first imports it,
    # and the prefork children inherit that choice; file-backed ones let this process serve theirs.
    settings = Settings()
    if settings.broker_url:  # without one the command refuses below; no directory left behind
        prepare_multiprocess_dir(settings.celery.worker_metrics_port)
    from app.adapters.task_queue import TASK_QUEUE

    _, level = _celery_settings(log_level)
    _run_celery([
        "worker",
        f"--concurrency={concurrency}",
        f"--pool={pool}",
        f"--loglevel={level}",
        f"--queues={TASK_QUEUE}",
        f"--hostname={hostname or 'news@%h'}",
        "--without-gossip",
        "--without-mingle",
    ])


@main.command()
def beat(
    log_level: Annotated[str | None, typer.Option(help="default: LOG_LEVEL")] = None,
) -> None:
    """Start Celery beat: refresh the watch list now and every REFRESH_INTERVAL_MINUTES (run exactly one)."""
    settings, level = _celery_settings(log_level)
    from app.workers.celery_app import beat_schedule_file

    _run_celery(["beat", f"--loglevel={level}", f"--schedule={beat_schedule_file(settings)}"])


def _register_ml_commands() -> None:
    # The functions import torch lazily, so registering them keeps `--help` fast.
    from app.ml.commands import evaluate_command, train_command

    main.command("train")(train_command)
    main.command("evaluate")(evaluate_command)


_register_ml_commands()
main.command("export-feedback")(export_feedback)


if __name__ == "__main__":
    main()
