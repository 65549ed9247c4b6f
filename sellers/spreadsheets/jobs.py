"""An uploaded spreadsheet between preview and import: the file and its job state, in the cache.

The cache (Redis in production, local memory in the embedded set-up) is shared by the web process
and the Celery worker, expires what a seller abandons on its own and needs no clean-up job. The
seller's link carries a *signed* token: the random key is signed with the shop in the salt, so a
token changed by hand, or copied to another shop's address, is refused as invalid, and an old one
(older than ``MAX_AGE``) as expired. The job also keeps the file's SHA-256 and refuses a stored file
that no longer matches it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

#: How long an upload waits for the seller to confirm it (and how long a finished job is shown).
MAX_AGE = 2 * 3600
#: At most this many errors are kept for the page; the count of all of them is kept too.
MAX_STORED_ERRORS = 1000


class JobState:
    QUEUED = "queued"
    VALIDATING = "validating"
    READY = "ready"
    INVALID = "invalid"
    IMPORTING = "importing"
    DONE = "done"
    FAILED = "failed"
    RUNNING = frozenset({QUEUED, VALIDATING, IMPORTING})


class TokenError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Job:
    key: str
    shop_id: int
    user_id: int
    filename: str
    format: str
    sha256: str
    language: str
    rows_estimate: int = 0
    background: bool = False
    state: str = JobState.QUEUED
    #: ``True`` once the seller asked to write (the state then goes importing → done).
    commit: bool = False
    rows_total: int = 0
    rows_validated: int = 0
    rows_written: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    summary: dict[str, int] = field(default_factory=dict)
    updated: float = field(default_factory=time.time)

    @property
    def running(self) -> bool:
        return self.state in JobState.RUNNING


def _signer(shop_id: int) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"sellers.spreadsheets.upload.{shop_id}")


def _job_key(key: str) -> str:
    return f"spreadsheets:job:{key}"


def _file_key(key: str) -> str:
    return f"spreadsheets:file:{key}"


def _commit_key(key: str) -> str:
    return f"spreadsheets:commit:{key}"


def create(
    *, shop_id: int, user_id: int, filename: str, fmt: str, data: bytes, language: str, rows: int
) -> tuple[Job, str]:
    """Keep the file and a new job; return the job and the token for the seller's link."""
    key = secrets.token_urlsafe(18)
    job = Job(
        key=key,
        shop_id=shop_id,
        user_id=user_id,
        filename=filename[:200],
        format=fmt,
        sha256=hashlib.sha256(data).hexdigest(),
        language=language,
        rows_estimate=rows,
    )
    cache.set(_file_key(key), data, MAX_AGE)
    save(job)
    return job, _signer(shop_id).sign(key)


def key_from_token(shop_id: int, token: str) -> str:
    """The job key a seller's token stands for; ``TokenError`` when tampered with or expired."""
    try:
        return _signer(shop_id).unsign(token, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenError(_expired(), "expired") from exc
    except signing.BadSignature as exc:
        raise TokenError(
            _("This import link is not valid. Upload the file again."), "bad_token"
        ) from exc


def _expired() -> str:
    return _("This upload has expired. Upload the file again.")


def load(shop_id: int, key: str) -> Job:
    raw = cache.get(_job_key(key))
    try:
        job = Job(**raw)
    except TypeError as exc:  # gone from the cache, or kept by an older version of this code
        raise TokenError(_expired(), "expired") from exc
    if job.shop_id != shop_id:
        raise TokenError(_("This import link is not valid. Upload the file again."), "bad_token")
    return job


def save(job: Job, **changes: Any) -> Job:
    for name, value in changes.items():
        setattr(job, name, value)
    job.updated = time.time()
    cache.set(_job_key(job.key), asdict(job), MAX_AGE)
    return job


def file_data(job: Job) -> bytes:
    """The uploaded bytes, checked against the hash taken at upload."""
    data = cache.get(_file_key(job.key))
    if data is None:
        raise TokenError(_expired(), "expired")
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise TokenError(
            _("The stored file does not match the upload. Upload the file again."), "tampered"
        )
    return bytes(data)


def claim_commit(job: Job) -> bool:
    """``True`` for the first request that asks to import this upload; a double tap gets False."""
    return bool(cache.add(_commit_key(job.key), 1, MAX_AGE))


def release_commit(job: Job) -> None:
    cache.delete(_commit_key(job.key))


def discard_file(job: Job) -> None:
    cache.delete(_file_key(job.key))
