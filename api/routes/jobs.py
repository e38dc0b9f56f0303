from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServicesDep
from core.api_models import Job
from core.errors import NotFoundError

router = APIRouter(tags=["documents"])


@router.get("/jobs/{job_id}", response_model=Job)
def job(job_id: str, services: ServicesDep) -> Job:
    found = services.jobs.get(job_id)
    if found is None:
        raise NotFoundError(f"No job with id {job_id!r}.", hint="Jobs are kept in memory until the server restarts.",
                            key="job_not_found", values={"job_id": repr(job_id)})
    return found
