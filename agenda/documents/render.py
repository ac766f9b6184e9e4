"""Turning papers into PDF pages: Word papers through LibreOffice, PDF papers checked as they are.

LibreOffice is slow to start (≈1.3 s) and refuses to share a profile between two running
instances, so each worker process converts many documents per ``soffice`` call, on profile
directories of its own (``lo_profile_<pid>_<slot>``) guarded by a lock. Renders are cached by
the paper's sha256 under ``BOARDCLERK_DATA_DIR/render-cache/<sha>.tagged.pdf``: rebuilding a
pack after one late paper renders only that paper.

Papers are hostile input. Word papers are neutralised (``sanitize_docx``) before LibreOffice
sees them, and LibreOffice runs confined (:func:`_confinement`): a profile of its own whose
settings refuse macros and linked content, a working directory of its own, no network (a
network namespace via ``unshare -n`` where the platform allows it; otherwise a logged warning
and the neutralising alone), and CPU-time, memory and file-size limits. Its output, like every
submitted PDF, then goes through ``sanitize_pdf``. The cache key carries
:data:`SANITISER_GENERATION`, so renders made before a sanitiser change are never reused.

Every failure is a :class:`RenderFailed` (a :class:`PaperRejected`) whose message names the
paper through the label the caller gave ("Agenda Item 5 'Better Care Fund' by Jane Smith").
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from pypdf import PasswordType, PdfReader

from agenda import settings
from agenda.documents.sanitize_docx import neutralise_docx
from agenda.documents.sanitize_pdf import UnsafePdf, sanitise_pdf
from agenda.errors import BoardclerkError, PaperRejected
from agenda.filestore import atomic_write, data_dir

log = logging.getLogger(__name__)

# Bumped whenever neutralising or sanitising changes: older cached renders are not reused.
SANITISER_GENERATION = "s1"
MAX_OUTPUT_BYTES = 1024 * 1024 * 1024


class RenderFailed(PaperRejected):
    """A paper could not be turned into PDF pages. ``label`` names the paper."""

    def __init__(self, message: str, *, label: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.label = label


class RenderUnavailable(BoardclerkError):
    """LibreOffice is not installed here, so Word papers cannot become PDF pages."""


def soffice_path() -> str:
    path = shutil.which("soffice")
    if path is None:
        raise RenderUnavailable(
            "LibreOffice is not installed, so Word papers cannot be turned into the PDF pack.",
            hint="apt-get install libreoffice-writer-nogui fonts-crosextra-carlito "
            "fonts-crosextra-caladea fonts-liberation2",
        )
    return path


@dataclass
class RenderStats:
    """Counts kept by this module so tests and benchmarks can see what really ran."""

    soffice_calls: int = 0
    documents_rendered: int = 0
    cache_hits: int = 0


stats = RenderStats()
_stats_lock = threading.Lock()


def reset_stats() -> None:
    with _stats_lock:
        stats.soffice_calls = stats.documents_rendered = stats.cache_hits = 0


@dataclass(frozen=True)
class PaperFile:
    """One paper to turn into PDF pages: its bytes on disk, its kind, and how to name it."""

    sha256: str
    kind: str  # "docx" | "pdf"
    path: Path
    label: str  # used in error messages: item, title and author


def render_timeout() -> float:
    return settings.current().render_timeout


def render_workers() -> int:
    workers = settings.current().render_workers
    return workers if workers is not None else max(1, min(2, os.cpu_count() or 1))


def default_cache_dir() -> Path:
    return data_dir() / "render-cache"


# --------------------------------------------------------------------------------------------
# LibreOffice


_slot_locks: dict[int, threading.Lock] = {}
_slot_locks_guard = threading.Lock()
_swept = False


def _profile_root() -> Path:
    return Path(tempfile.gettempdir()) / "boardclerk-lo"


def reap_stray_renderers(root: Path | None = None) -> int:
    """Kill LibreOffice processes left behind by a worker that died (kill -9 skips every
    clean-up): any renderer on a ``lo_profile_<pid>_*`` profile whose ``<pid>`` is gone.
    Each runs in its own process group, so the whole group goes. Returns how many."""
    marker = f"{(root or _profile_root()).as_uri()}/lo_profile_".encode()
    reaped = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
            at = cmdline.find(marker)
            if at < 0:
                continue
            owner = int(cmdline[at + len(marker) :].split(b"_", 1)[0])
            if _alive(owner):
                continue
            os.killpg(os.getpgid(int(proc.name)), signal.SIGKILL)
            reaped += 1
        except (OSError, ValueError):
            continue  # gone meanwhile, or not ours to read
    return reaped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_dead_profiles(root: Path) -> None:
    """Remove the profiles of worker processes that have exited (about 0.5 MB each), once
    per process, after killing their stray renderers. A profile whose lock is held is in use
    and left alone."""
    reap_stray_renderers(root)
    for lock_path in root.glob("lo_profile_*.lock"):
        try:
            pid = int(lock_path.stem.split("_")[2])
            os.kill(pid, 0)
            continue  # still running
        except (ValueError, IndexError, PermissionError):
            continue
        except ProcessLookupError:
            pass
        with open(lock_path, "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            shutil.rmtree(root / lock_path.stem, ignore_errors=True)
            lock_path.unlink(missing_ok=True)


@contextmanager
def _profile(slot: int) -> Iterator[Path]:
    """A LibreOffice profile directory owned by this process, locked for one ``soffice`` run.

    Two instances on one profile lose documents (one exits 1 and writes nothing), so the lock
    is both a thread lock (threads of this process) and a file lock (a forked child, say)."""
    with _slot_locks_guard:
        lock = _slot_locks.setdefault(slot, threading.Lock())
    global _swept
    root = _profile_root()
    root.mkdir(exist_ok=True)
    with _slot_locks_guard:
        if not _swept:
            _swept = True
            _sweep_dead_profiles(root)
    profile = root / f"lo_profile_{os.getpid()}_{slot}"
    with lock, open(root / f"lo_profile_{os.getpid()}_{slot}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield profile
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _dies_with_us() -> list[str]:
    # The launcher gets SIGKILL when this process dies, even by kill -9; what it started
    # stays in its process group, which reap_stray_renderers() kills on the next start.
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


# Tagged PDF (structure tree, alt text, reading order) and PDF/UA, which also sets
# DisplayDocTitle; bookmarks from headings. LibreOffice >= 7.4 reads filter options as JSON.
TAGGED_PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)
UNTAGGED_PDF_FILTER = "pdf"  # only for measuring what tagging costs (benchmarks/pack.py)


# LibreOffice settings written into every profile before a run: macros never run, links are
# never updated, and content linked from documents that are not in a trusted location (ours
# never are) is not loaded.
_SAFE_SETTINGS = {
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel"): ("int", "3"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution"): (
        "boolean",
        "true",
    ),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks"): (
        "boolean",
        "true",
    ),
    ("/org.openoffice.Office.Writer/Content/Update", "Link"): ("int", "2"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link"): ("int", "2"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking"): ("boolean", "false"),
}


def _registry_xml() -> str:
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for (path, name), (_, value) in _SAFE_SETTINGS.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
        'xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + items + "</oor:items>\n"
    )


def _write_safe_settings(profile: Path) -> None:
    """Put the safe settings into the profile, replacing whatever LibreOffice saved there."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_registry_xml(), encoding="utf-8")


def memory_limit_bytes() -> int:
    return int(settings.current().render_memory_mb * 1024 * 1024)


_network_isolation: list[str] | None = None
_isolation_lock = threading.Lock()


def network_isolation() -> list[str]:
    """The command prefix that runs LibreOffice with no network: ``unshare -n`` (root, as in
    CI and containers with CAP_SYS_ADMIN) or ``unshare -rn`` (unprivileged user namespaces);
    ``[]`` where neither works, with a warning in the log. Probed once per process."""
    global _network_isolation
    with _isolation_lock:
        if _network_isolation is None:
            _network_isolation = _probe_isolation()
        return _network_isolation


def _probe_isolation() -> list[str]:
    if settings.current().render_network:
        log.warning("BOARDCLERK_RENDER_NETWORK=allow: LibreOffice runs with network access")
        return []
    unshare = shutil.which("unshare")
    if unshare is not None:
        for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]):
            try:
                probe = subprocess.run(
                    [*prefix, "true"], capture_output=True, timeout=10, check=False
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if probe.returncode == 0:
                return prefix
    log.warning(
        "cannot start LibreOffice without network access here (unshare -n is not permitted); "
        "papers are still neutralised before rendering"
    )
    return []


def _limit_prefix(memory: int, cpu_seconds: int) -> list[str]:
    """``prlimit`` (util-linux) setting the limits LibreOffice and its children inherit: set
    before exec by a separate program, because a ``preexec_fn`` can deadlock a threaded parent
    (the bot renders from worker threads)."""
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return []
    return [
        prlimit,
        f"--as={memory}",
        f"--cpu={cpu_seconds}",
        f"--fsize={MAX_OUTPUT_BYTES}",
        "--core=0",
        "--",
    ]


def _limits_in_child(memory: int, cpu_seconds: int) -> None:
    """The same limits from inside the child, where ``prlimit`` is missing (it only calls
    setrlimit, which takes no Python-level lock)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES, MAX_OUTPUT_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _confined_env(profile: Path) -> dict[str, str]:
    """Only what LibreOffice needs: no secrets (tokens, database URLs) from our environment."""
    keep = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SAL_USE_VCLPLUGIN")
    env = {k: v for k, v in settings.environment().items() if k in keep}
    env["HOME"] = str(profile)
    env["TMPDIR"] = str(profile / "tmp")
    return env


def _soffice_command(
    profile: Path,
    out_dir: Path,
    inputs: Sequence[Path],
    limits: Sequence[str] = (),
    *,
    tagged: bool = True,
) -> list[str]:
    return [
        *limits,
        *_dies_with_us(),
        *network_isolation(),
        soffice_path(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        "--convert-to",
        TAGGED_PDF_FILTER if tagged else UNTAGGED_PDF_FILTER,
        "--outdir",
        str(out_dir),
        *map(str, inputs),
    ]


def _run_soffice(
    inputs: Sequence[Path],
    out_dir: Path,
    labels: Sequence[str],
    *,
    timeout: float,
    slot: int,
    tagged: bool = True,
) -> None:
    """One ``soffice`` call converting ``inputs`` in order into ``out_dir``.

    The time limit is per document: the clock restarts whenever a new PDF appears, so a big
    batch is not cut short, and a document that hangs is found as the first one without
    output. Raises :class:`RenderFailed` naming that document."""
    expected = [out_dir / (p.stem + ".pdf") for p in inputs]
    with _profile(slot) as profile:
        with _stats_lock:
            stats.soffice_calls += 1
        _write_safe_settings(profile)
        (profile / "tmp").mkdir(parents=True, exist_ok=True)
        memory = memory_limit_bytes()
        cpu = int(timeout * len(inputs)) + 60
        limits = _limit_prefix(memory, cpu)
        proc = subprocess.Popen(
            _soffice_command(profile, out_dir, inputs, limits, tagged=tagged),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            cwd=profile / "tmp",
            env=_confined_env(profile),
            preexec_fn=None if limits else (lambda: _limits_in_child(memory, cpu)),
        )
        done, deadline = 0, time.monotonic() + timeout
        try:
            while proc.poll() is None:
                now_done = sum(1 for p in expected if p.exists())
                if now_done > done:
                    done, deadline = now_done, time.monotonic() + timeout
                if time.monotonic() > deadline:
                    _kill(proc)
                    culprit = next(i for i, p in enumerate(expected) if not p.exists())
                    raise RenderFailed(
                        f"{labels[culprit]} could not be converted to PDF: LibreOffice took "
                        f"longer than {timeout:g} seconds.",
                        label=labels[culprit],
                        hint="ask the author for a simpler file, or a PDF",
                    )
                time.sleep(0.05)
        finally:
            if proc.poll() is None:
                _kill(proc)
            if proc.stderr:
                proc.stderr.close()
    for path, label in zip(expected, labels, strict=True):
        if not path.exists():
            raise RenderFailed(
                f"{label} could not be converted to PDF: LibreOffice produced no output.",
                label=label,
                hint="ask the author to re-save it in Word, or send a PDF",
            )
    with _stats_lock:
        stats.documents_rendered += len(inputs)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    # soffice forks soffice.bin: kill the whole process group, not just the launcher.
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _split(paths: Sequence[Path], parts: int) -> list[list[int]]:
    """Indexes of ``paths`` shared between ``parts`` batches of similar total size, each kept in
    input order (biggest first onto the lightest batch)."""
    buckets: list[list[int]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for i in sorted(range(len(paths)), key=lambda i: -paths[i].stat().st_size):
        b = loads.index(min(loads))
        buckets[b].append(i)
        loads[b] += paths[i].stat().st_size + 20_000  # + a fixed cost per document
    return [sorted(b) for b in buckets if b]


def convert_to_pdf(
    inputs: Sequence[Path],
    out_dir: Path,
    *,
    labels: Sequence[str] | None = None,
    timeout: float | None = None,
    workers: int | None = None,
    tagged: bool = True,
) -> list[Path]:
    """Convert Word files to tagged PDF with LibreOffice: as few ``soffice`` calls as possible,
    run on up to ``workers`` profiles at once. Returns the PDF paths in input order, each
    checked (exists, opens, has pages). Input stems must be distinct."""
    if not inputs:
        return []
    labels = list(labels) if labels is not None else [p.name for p in inputs]
    timeout = render_timeout() if timeout is None else timeout
    workers = render_workers() if workers is None else workers
    out_dir.mkdir(parents=True, exist_ok=True)
    batches = _split(inputs, min(workers, len(inputs)))

    def run(slot: int, batch: list[int]) -> None:
        _run_soffice(
            [inputs[i] for i in batch],
            out_dir,
            [labels[i] for i in batch],
            timeout=timeout,
            slot=slot,
            tagged=tagged,
        )

    if len(batches) == 1:
        run(0, batches[0])
    else:
        with ThreadPoolExecutor(len(batches)) as pool:
            for future in [pool.submit(run, slot, b) for slot, b in enumerate(batches)]:
                future.result()
    outputs = [out_dir / (p.stem + ".pdf") for p in inputs]
    for path, label in zip(outputs, labels, strict=True):
        check_rendered_pdf(path, label)
    return outputs


def check_rendered_pdf(path: Path, label: str) -> int:
    """The page count of a PDF LibreOffice wrote; refuses an empty or unreadable one."""
    try:
        pages = len(PdfReader(path).pages)
    except Exception as exc:  # pypdf raises many types for broken files
        raise RenderFailed(
            f"{label} could not be converted to PDF: the output is unreadable.", label=label
        ) from exc
    if pages < 1:
        raise RenderFailed(
            f"{label} could not be converted to PDF: the output has no pages.", label=label
        )
    return pages


# --------------------------------------------------------------------------------------------
# Preparing papers


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADER_FOOTER_REFS = (f"{_W}headerReference", f"{_W}footerReference")


def strip_headers_footers(data: bytes, label: str) -> bytes:
    """The Word paper without its own headers and footers, which would clash with the pack's
    stamp and page numbers: their references are removed from the section properties in
    word/document.xml (working on the zip directly is several times faster than a python-docx
    round trip). Refuses files that are not a readable Word package: LibreOffice would import
    a broken one as plain text and 'render' it without complaint."""
    if not data:
        raise RenderFailed(
            f"{label} is an empty file.", label=label, hint="ask the author to send the paper again"
        )
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        root = etree.fromstring(
            source.read("word/document.xml"),
            parser=etree.XMLParser(resolve_entities=False, no_network=True),
        )
        if root.find(f"{_W}body") is None:
            raise ValueError("no document body")
    except Exception as exc:  # BadZipFile, KeyError, XMLSyntaxError, ...
        raise RenderFailed(
            f"{label} is not a readable Word document.",
            label=label,
            hint="ask the author to re-save it in Word, or send a PDF",
        ) from exc
    refs = [el for tag in _HEADER_FOOTER_REFS for el in root.iter(tag)]
    if not refs:
        return data
    for ref in refs:
        parent = ref.getparent()
        if parent is not None:  # always: iter() found it below the root
            parent.remove(ref)
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename == "word/document.xml":
                target.writestr(
                    info,
                    etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True),
                )
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def open_pdf_paper(path: Path, label: str) -> tuple[PdfReader, bool]:
    """Open a submitted PDF. Owner-password-only PDFs (printing or copying restricted) open
    with the empty password; a PDF that needs a password to read is refused. Returns the reader
    and whether it was encrypted."""
    if not path.exists() or path.stat().st_size == 0:
        raise RenderFailed(
            f"{label} is an empty file.", label=label, hint="ask the author to send the paper again"
        )
    try:
        reader = PdfReader(path)
        encrypted = reader.is_encrypted
        if encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise RenderFailed(
                f"{label} is a PDF protected by a password, so it cannot go into the pack.",
                label=label,
                hint="ask the author to send it without a password",
            )
        pages = reader.pages
        if len(pages) < 1:
            raise RenderFailed(f"{label} is a PDF with no pages.", label=label)
        for page in pages:
            _ = page.mediabox, page.get("/Contents")
    except RenderFailed:
        raise
    except Exception as exc:
        raise RenderFailed(
            f"{label} is a damaged PDF that cannot be read.",
            label=label,
            hint="ask the author to export it again",
        ) from exc
    return reader, encrypted


# --------------------------------------------------------------------------------------------
# The cache


class RenderCache:
    """Rendered PDFs by the sha256 of the submitted file. Writes are atomic (temp + rename), so
    concurrent builds of different meetings can share it."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_cache_dir()

    def path(self, sha256: str) -> Path:
        # ".tagged": renders cached before tagged export are not reused; the generation: nor
        # are renders made before a sanitiser change.
        return self.root / f"{sha256}.tagged.{SANITISER_GENERATION}.pdf"

    def get(self, sha256: str) -> Path | None:
        path = self.path(sha256)
        return path if path.exists() else None

    def put_file(self, sha256: str, source: Path) -> Path:
        return atomic_write(self.path(sha256), source.read_bytes())


def render_papers(
    papers: Sequence[PaperFile],
    *,
    cache: RenderCache | None = None,
    timeout: float | None = None,
    workers: int | None = None,
) -> dict[str, Path]:
    """PDF files for ``papers``, keyed by sha256: Word papers rendered (stripped of their own
    headers and footers) in one batch with cache misses only; PDF papers checked and, when
    owner-password protected, stored decrypted. Raises :class:`RenderFailed` naming the first
    bad paper; a batch that fails caches nothing (its renders stay in a temporary folder)."""
    cache = cache or RenderCache()
    result: dict[str, Path] = {}
    todo: dict[str, PaperFile] = {}
    for paper in papers:
        if paper.sha256 in result or paper.sha256 in todo:
            continue
        cached = cache.get(paper.sha256)
        if cached is not None:
            with _stats_lock:
                stats.cache_hits += 1
            result[paper.sha256] = cached
        elif paper.kind == "pdf":
            result[paper.sha256] = _prepare_pdf(paper, cache)
        elif paper.kind == "docx":
            todo[paper.sha256] = paper
        else:
            raise RenderFailed(
                f"{paper.label} is a '{paper.kind}' file; only Word and PDF "
                "papers can go into a pack.",
                label=paper.label,
            )
    if todo:
        with tempfile.TemporaryDirectory(prefix="boardclerk-render-") as tmp:
            work = Path(tmp)
            inputs = []
            for sha, paper in todo.items():
                source = work / f"{sha}.docx"
                source.write_bytes(strip_headers_footers(_neutralised(paper), paper.label))
                inputs.append(source)
            outputs = convert_to_pdf(
                inputs,
                work / "out",
                labels=[p.label for p in todo.values()],
                timeout=timeout,
                workers=workers,
            )
            for (sha, paper), output in zip(todo.items(), outputs, strict=True):
                # LibreOffice writes hyperlinks as /URI links: the published PDF gets none.
                _sanitise_file(output, paper.label)
                result[sha] = cache.put_file(sha, output)
    return result


def _read(paper: PaperFile) -> bytes:
    try:
        return paper.path.read_bytes()
    except FileNotFoundError as exc:
        raise RenderFailed(
            f"{paper.label} is missing from the file store.", label=paper.label
        ) from exc


def _neutralised(paper: PaperFile) -> bytes:
    data = _read(paper)
    if not data:
        return data  # strip_headers_footers says "empty file"
    try:
        return neutralise_docx(data).data
    except Exception as exc:  # BadZipFile, XMLSyntaxError: not a Word package we can read
        raise RenderFailed(
            f"{paper.label} is not a readable Word document.",
            label=paper.label,
            hint="ask the author to re-save it in Word, or send a PDF",
        ) from exc


def _sanitise_file(path: Path, label: str) -> None:
    """Replace the PDF at ``path`` by its sanitised copy (no scripts, actions, attachments,
    external links), refusing one that cannot be cleaned."""
    try:
        clean = sanitise_pdf(path.read_bytes())
    except UnsafePdf as exc:
        raise RenderFailed(f"{label}: {exc}", label=label) from exc
    except Exception as exc:  # qpdf errors on a structure pypdf accepted
        raise RenderFailed(
            f"{label} is a damaged PDF that cannot be read.",
            label=label,
            hint="ask the author to export it again",
        ) from exc
    path.write_bytes(clean.data)


def _prepare_pdf(paper: PaperFile, cache: RenderCache) -> Path:
    """A submitted PDF, checked, decrypted (owner-password-only PDFs) and sanitised, cached:
    the stored original is never what goes into a pack."""
    open_pdf_paper(paper.path, paper.label)  # refuses password-protected and damaged PDFs
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as fh:
        fh.write(paper.path.read_bytes())
    try:
        _sanitise_file(Path(fh.name), paper.label)
        return cache.put_file(paper.sha256, Path(fh.name))
    finally:
        Path(fh.name).unlink(missing_ok=True)


def docx_content_key(data: bytes) -> str:
    """A hash of what a Word file says, not of its zip bytes: python-docx stamps every zip
    entry with the time of saving, so two saves of the same document differ byte-wise."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name != "docProps/core.xml":  # creation/modification times
                digest.update(name.encode() + b"\0" + archive.read(name) + b"\0")
    return digest.hexdigest()


def render_document(
    data: bytes, *, label: str, cache: RenderCache | None = None, timeout: float | None = None
) -> Path:
    """A Word document we generated (the front matter) as PDF, cached by its content: a
    rebuild whose page ranges did not change does not start LibreOffice for it again."""
    cache = cache or RenderCache()
    key = f"doc-{docx_content_key(data)}"
    cached = cache.get(key)
    if cached is not None:
        with _stats_lock:
            stats.cache_hits += 1
        return cached
    with tempfile.TemporaryDirectory(prefix="boardclerk-render-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(data)
        [output] = convert_to_pdf(
            [source], Path(tmp) / "out", labels=[label], timeout=timeout, workers=1
        )
        return cache.put_file(key, output)
