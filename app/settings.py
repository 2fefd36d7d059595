"""Configuration: one `Settings` object, one nested section per external service."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
DEFAULT_ARCHIVE = PROJECT_ROOT / "data" / "archive" / "sample_news.jsonl"


class _Section(BaseSettings):
    # Every section reads the same environment / .env; names are the public contract (DESIGN.md).
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)


class NaverSettings(_Section):
    """Naver News Search API."""

    model_config = SettingsConfigDict(env_prefix="NAVER_")

    client_id: SecretStr = SecretStr("")
    client_secret: SecretStr = SecretStr("")
    api_url: str = "https://openapi.naver.com/v1/search/news.json"
    api_provider: Literal["developers", "apihub"] = "developers"
    timeout_seconds: float = Field(5.0, gt=0)
    deadline_seconds: float = Field(15.0, gt=0, description="overall budget for one search, retries included")
    max_attempts: int = Field(3, ge=1, le=10)
    max_body_bytes: int = Field(5_000_000, gt=0)
    daily_budget: int = Field(
        24_000, ge=1, le=25_000, description="calls per KST day this service may make (Naver allows 25,000)"
    )

    @property
    def has_credentials(self) -> bool:
        """Both halves of the credential pair are set."""
        return bool(self.client_id.get_secret_value() and self.client_secret.get_secret_value())


class NewsSettings(_Section):
    """Where news comes from."""

    source: Literal["auto", "naver", "archive"] = Field(
        "auto", validation_alias=AliasChoices("NEWS_SOURCE", "source")
    )
    archive_path: Path = Field(
        DEFAULT_ARCHIVE, validation_alias=AliasChoices("NEWS_ARCHIVE_PATH", "archive_path")
    )
    similarity_threshold: float = Field(
        0.75, ge=0, le=1, validation_alias=AliasChoices("SIMILARITY_THRESHOLD", "similarity_threshold")
    )


class RedisSettings(_Section):
    """Redis connection and key layout; an empty URL means embedded mode."""

    model_config = SettingsConfigDict(env_prefix="REDIS_")

    url: str = ""
    key_prefix: str = "news"
    timeout_seconds: float = Field(0.5, gt=0, description="socket and connect timeout")
    embedded_data_dir: str = Field(
        ".news-service", validation_alias=AliasChoices("EMBEDDED_DATA_DIR", "embedded_data_dir"),
        description="embedded mode: directory (relative to the working directory) where history, watch list, "
        "alert rules and labels survive restarts; empty = memory only",
    )

    @property
    def embedded(self) -> bool:
        """No Redis server configured: use the in-process store."""
        return not self.url


class CacheSettings(_Section):
    """Cache lifetimes, in seconds."""

    model_config = SettingsConfigDict(env_prefix="CACHE_")

    search_ttl: int = Field(1800, gt=0)
    analysis_ttl: int = Field(3600, gt=0)
    empty_ttl: int = Field(60, gt=0)
    stale_ttl: int = Field(86400, gt=0, description="how long a stale copy is kept for upstream outages")
    jitter: float = Field(0.15, ge=0, lt=1)
    lock_ttl_ms: int = Field(
        30000, gt=0, description="longest a single-flight lock is held and a follower waits for its holder"
    )
    lock_lease_ms: int = Field(
        5000, gt=0, description="single-flight lock lease, renewed while the holder works: a dead holder's "
        "lock expires within it (capped at lock_ttl_ms)",
    )


class MLSettings(_Section):
    """Model location and inference options."""

    models_dir: Path = Field(Path("models"), validation_alias=AliasChoices("MODELS_DIR", "models_dir"))
    model_name: str = Field("demo", validation_alias=AliasChoices("MODEL_NAME", "model_name"))
    device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", validation_alias=AliasChoices("ML_DEVICE", "device")
    )
    quantize: Literal["none", "int8"] = Field(
        "none", validation_alias=AliasChoices("ML_QUANTIZE", "quantize")
    )
    max_length: int = Field(256, ge=16, le=512, validation_alias=AliasChoices("ML_MAX_LENGTH", "max_length"))
    batch_size: int = Field(32, ge=1, le=512, validation_alias=AliasChoices("ML_BATCH_SIZE", "batch_size"))
    torch_threads: int = Field(
        0, ge=0, validation_alias=AliasChoices("ML_TORCH_THREADS", "torch_threads"),
        description="0 = number of physical cores",
    )
    inference_nice: int = Field(
        10, ge=0, le=19, validation_alias=AliasChoices("ML_INFERENCE_NICE", "inference_nice"),
        description="CPU priority (nice) of the inference thread and its torch threads; 0 = unchanged",
    )
    pack_weights: bool = Field(
        True, validation_alias=AliasChoices("ML_PACK_WEIGHTS", "pack_weights"),
        description="fp32 on CPU: pre-pack Linear weights for oneDNN (app/ml/packing.py)",
    )

    @field_validator("model_name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not value or "/" in value or "\\" in value or value.startswith("."):
            raise ValueError("MODEL_NAME must be a plain directory name prefix such as 'demo'")
        return value


class CelerySettings(_Section):
    """Background work: broker and the watch list."""

    broker_url: str = Field("", validation_alias=AliasChoices("CELERY_BROKER_URL", "broker_url"))
    monitored_companies: str = Field(
        "삼성전자,LG전자", validation_alias=AliasChoices("MONITORED_COMPANIES", "monitored_companies")
    )
    refresh_interval_minutes: int = Field(
        30, ge=1, validation_alias=AliasChoices("REFRESH_INTERVAL_MINUTES", "refresh_interval_minutes")
    )
    task_soft_time_limit: int = Field(
        300, gt=0, validation_alias=AliasChoices("TASK_SOFT_TIME_LIMIT", "task_soft_time_limit")
    )
    task_time_limit: int = Field(
        360, gt=0, validation_alias=AliasChoices("TASK_TIME_LIMIT", "task_time_limit")
    )
    task_lease_seconds: int = Field(
        10, ge=1, validation_alias=AliasChoices("TASK_LEASE_SECONDS", "task_lease_seconds"),
        description="a running background task renews its lease every third of this; once it lapses (the "
        "worker died) the task is reported failed and a trigger queues a new one",
    )
    worker_metrics_port: int = Field(
        9102, ge=0, le=65535, validation_alias=AliasChoices("WORKER_METRICS_PORT", "worker_metrics_port"),
        description="port each worker's main process serves /metrics on (all its children); 0 = off",
    )

    @property
    def companies(self) -> list[str]:
        """The watch list as a clean list."""
        return [c.strip() for c in self.monitored_companies.split(",") if c.strip()]


class ApiSettings(_Section):
    """HTTP server, security and logging."""

    port: int = Field(8002, ge=1, le=65535, validation_alias=AliasChoices("PORT", "port"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("LOG_LEVEL", "log_level"))
    log_format: Literal["console", "json"] = Field(
        "console", validation_alias=AliasChoices("LOG_FORMAT", "log_format")
    )
    admin_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("ADMIN_API_KEY", "admin_api_key")
    )
    allow_unauthenticated_admin: bool = Field(
        False, validation_alias=AliasChoices("ALLOW_UNAUTHENTICATED_ADMIN", "allow_unauthenticated_admin")
    )
    loopback_admin: bool = Field(
        True, validation_alias=AliasChoices("LOOPBACK_ADMIN", "loopback_admin"),
        description="without ADMIN_API_KEY, admin calls from this machine (loopback, unproxied) need no key",
    )
    max_body_bytes: int = Field(
        65536, gt=0, validation_alias=AliasChoices("MAX_BODY_BYTES", "max_body_bytes")
    )
    max_url_bytes: int = Field(
        8192, ge=256, le=1 << 20, validation_alias=AliasChoices("MAX_URL_BYTES", "max_url_bytes"),
        description="longest request target (path and query) the server reads; 414 above it",
    )
    max_header_count: int = Field(
        100, ge=10, le=10_000, validation_alias=AliasChoices("MAX_HEADER_COUNT", "max_header_count"),
        description="most request headers the server reads; 431 above it",
    )
    max_header_bytes: int = Field(
        16384, ge=1024, le=1 << 20, validation_alias=AliasChoices("MAX_HEADER_BYTES", "max_header_bytes"),
        description="request header names and values together; 431 above it",
    )
    expose_docs: bool = Field(True, validation_alias=AliasChoices("EXPOSE_DOCS", "expose_docs"))
    rate_limit_search: int = Field(
        600, ge=0, validation_alias=AliasChoices("RATE_LIMIT_SEARCH_PER_MINUTE", "rate_limit_search"),
        description="search requests per client per minute (0 = unlimited)",
    )
    rate_limit_analyze: int = Field(
        60, ge=0, validation_alias=AliasChoices("RATE_LIMIT_ANALYZE_PER_MINUTE", "rate_limit_analyze")
    )
    rate_limit_admin: int = Field(
        30, ge=0, validation_alias=AliasChoices("RATE_LIMIT_ADMIN_PER_MINUTE", "rate_limit_admin")
    )
    cors_origins: str = Field(
        "", validation_alias=AliasChoices("CORS_ORIGINS", "cors_origins"),
        description="comma-separated origins allowed to call the API from a browser; empty = none",
    )
    trending_window_hours: int = Field(
        24, ge=1, le=24 * 30, validation_alias=AliasChoices("TRENDING_WINDOW_HOURS", "trending_window_hours")
    )
    analysis_concurrency: int = Field(
        2, ge=1, le=64, validation_alias=AliasChoices("ANALYSIS_CONCURRENCY", "analysis_concurrency"),
        description="analyses computed at once per process; more wait for a slot",
    )
    analysis_queue_limit: int = Field(
        16, ge=0, validation_alias=AliasChoices("ANALYSIS_QUEUE_LIMIT", "analysis_queue_limit"),
        description="analyses waiting for a slot before clients get 503 + Retry-After (0 = no limit)",
    )

    @property
    def cors_origin_list(self) -> list[str]:
        """CORS origins as a list; '*' is allowed only without credentials (see app.main)."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


class AlertSettings(_Section):
    """Alert webhooks (rules are managed through the dashboard API, docs/dashboard.md)."""

    model_config = SettingsConfigDict(env_prefix="ALERT_")

    webhook_url: SecretStr = Field(
        SecretStr(""), description="default webhook for alert rules without their own webhook_url"
    )
    webhook_timeout_seconds: float = Field(5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(4, ge=1, le=10)
    webhook_backoff_seconds: float = Field(
        1.0, ge=0, le=60, description="first retry delay; doubles per attempt (capped at 30 s)"
    )
    deliveries_kept: int = Field(200, ge=10, le=10_000, description="recent deliveries listed by the API")


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    naver: NaverSettings = Field(default_factory=NaverSettings)
    news: NewsSettings = Field(default_factory=NewsSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    cache: CacheSettings = Field(default_factory=CacheSettings)
    ml: MLSettings = Field(default_factory=MLSettings)
    celery: CelerySettings = Field(default_factory=CelerySettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @property
    def news_source(self) -> Literal["naver", "archive"]:
        """Resolve `NEWS_SOURCE=auto` to the source actually used."""
        if self.news.source == "auto":
            return "naver" if self.naver.has_credentials else "archive"
        return self.news.source

    @property
    def broker_url(self) -> str:
        """Celery broker, defaulting to the Redis URL."""
        return self.celery.broker_url or self.redis.url
