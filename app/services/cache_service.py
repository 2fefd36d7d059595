"""Cache administration: what the cache holds, and clearing it whole or for one company."""

from __future__ import annotations

from app.services.ports import CacheMaintenance
from app.services.views import CacheClearResponse, CacheInfoResponse, CompanyCacheClearResponse


class CacheService:
    """Inspects and clears this service's cached copies (never the store of record)."""

    def __init__(self, *, cache_admin: CacheMaintenance):
        self._cache_admin = cache_admin

    async def cache_info(self) -> CacheInfoResponse:
        """Keys per kind, hits, misses, hit rate, memory."""
        return await self._cache_admin.info()

    async def clear_cache(self) -> CacheClearResponse:
        """Delete every cached search, analysis and article result of this service."""
        deleted = await self._cache_admin.clear()
        return CacheClearResponse(deleted=deleted, total=sum(deleted.values()))

    async def clear_company_cache(self, company: str) -> CompanyCacheClearResponse:
        """Delete the company's cached searches and analyses (every parameter set; docs/background.md)."""
        deleted = await self._cache_admin.clear_company(company)
        return CompanyCacheClearResponse(company=company, deleted=deleted)
