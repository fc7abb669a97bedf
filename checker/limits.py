"""Resource limits of the readers (zip sizes, compression ratio, PDF pages, .doc conversion time), settable in one place."""
from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass

MB = 1024 * 1024

# Defaults. Real tender .docx files seen so far stay under 5 MB unpacked and 35:1 per member.
MAX_MEMBER_BYTES = 200 * MB     # uncompressed size of any one member of a .docx (zip)
MAX_TOTAL_BYTES = 500 * MB      # uncompressed size of all members together
MAX_RATIO = 100                 # uncompressed : compressed, checked on members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1 * MB
MAX_MEMBERS = 10_000            # entries in the zip directory
MAX_PAGES = 3000                # PDF pages; longer files are refused before any page is read
DOC_TIMEOUT = 120.0             # seconds for LibreOffice to convert one .doc/.wps
MAX_TEXT_BYTES = 100 * MB       # .txt/.md files
FILE_TIMEOUT = 600.0            # seconds for one file, reading to findings (scan --timeout overrides)
MAX_MEMORY_BYTES = 4096 * MB    # address space of a worker process; a reader beyond it fails that file only
MAX_BLOCKS = 200_000            # paragraphs/cells/lines of one document
MAX_BLOCK_CHARS = 1_000_000     # characters of one paragraph, cell or line
MAX_TEXT_CHARS = 30_000_000     # characters of a whole document
MAX_PDF_EDGES = 20_000          # ruled line pieces on one PDF page sent to table finding
MAX_PDF_GRID = 10_000           # distinct rule rows × rule columns on one page (table finding is quadratic in it)
MAX_PDF_OBJECTS = 50_000        # page objects (text runs, paths, images) on one PDF page
MAX_PDF_PAGE_WORK = 3_000_000   # page objects summed over all pages (one shared stream counts per page)
MAX_UPLOAD_BYTES = 100 * MB     # one file uploaded to `serve`
MAX_UPLOAD_FILES = 20           # files in one upload to `serve`

# Worker processes (fork or spawn) and LibreOffice children inherit limits set by configure() through this.
_ENV = "TENDER_CHECK_LIMITS"


@dataclass(frozen=True)
class Limits:
    """What a reader accepts before it refuses a file with a one-line reason."""

    max_member_bytes: int = MAX_MEMBER_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_RATIO
    ratio_min_bytes: int = RATIO_MIN_BYTES
    max_members: int = MAX_MEMBERS
    max_pages: int = MAX_PAGES
    doc_timeout: float = DOC_TIMEOUT
    max_text_bytes: int = MAX_TEXT_BYTES
    file_timeout: float = FILE_TIMEOUT
    max_memory_bytes: int = MAX_MEMORY_BYTES
    max_blocks: int = MAX_BLOCKS
    max_block_chars: int = MAX_BLOCK_CHARS
    max_text_chars: int = MAX_TEXT_CHARS
    max_pdf_edges: int = MAX_PDF_EDGES
    max_pdf_grid: int = MAX_PDF_GRID
    max_pdf_objects: int = MAX_PDF_OBJECTS
    max_pdf_page_work: int = MAX_PDF_PAGE_WORK
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_upload_files: int = MAX_UPLOAD_FILES

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


_current: Limits | None = None


def current() -> Limits:
    """The limits in force: what configure() set here or in a parent process, else the defaults."""
    global _current
    if _current is None:
        _current = _from_env() or Limits()
    return _current


def configure(limits: Limits | None = None, **changes) -> Limits:
    """Set the limits for this process and the workers it starts: ``configure(max_pages=500)``."""
    global _current
    base = limits or current()
    unknown = set(changes) - {f.name for f in dataclasses.fields(Limits)}
    if unknown:
        raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))}")
    _current = dataclasses.replace(base, **changes)
    os.environ[_ENV] = json.dumps(_current.as_json())
    return _current


def reset() -> None:
    """Back to the defaults (tests)."""
    global _current
    _current = None
    os.environ.pop(_ENV, None)


def _from_env() -> Limits | None:
    raw = os.environ.get(_ENV)
    if not raw:
        return None
    try:
        values = json.loads(raw)
        known = {f.name for f in dataclasses.fields(Limits)}
        return Limits(**{k: v for k, v in values.items() if k in known})
    except (ValueError, TypeError):
        return None


def pick(module_value, name: str):
    """A reader's module constant (tests and callers may set it), unless configure() changed that limit."""
    value = getattr(current(), name)
    return value if value != getattr(Limits(), name) else module_value
