"""The command line: a thin client of the Library (``banding-kota --help``)."""

from __future__ import annotations

import os
import socket
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.errors import BandingKotaError
from core.logs import setup_logging
from core.settings import Settings, get_settings
from core.types import IngestOutcome

if TYPE_CHECKING:
    from ingest.library import LibraryWriter
    from vectorstore.library import Library

# The store, the models and Chroma are imported inside the commands, not here: parse workers re-import the
# main module, and each of them paying for chromadb would cost more than parsing a typical document.

LIST_CITIES_WIDTH, LIST_MIN_TITLE = 28, 20
LIST_FIXED_WIDTH = 16 + 10 + 4 + 4 + 5 + 8 + LIST_CITIES_WIDTH + 2 * 8  # the other columns and their padding
app = typer.Typer(help="Banding Kota: ingest and inspect Indonesian city policy documents.", no_args_is_help=True)
console = Console(stderr=True)


Opened = TypeVar("Opened")


def _open_writer() -> LibraryWriter:
    from ingest.library import LibraryWriter

    return _opened(LibraryWriter.open)


def _open_reader() -> Library:
    from vectorstore.library import Library

    return _opened(Library.open)


def _failed(exc: BandingKotaError) -> typer.Exit:
    """Print what went wrong and what to do (as text: a file name may hold "[…]"), and the exit to raise."""
    console.print(f"[red]{escape(exc.message)}[/red]")
    if exc.hint:
        console.print(escape(exc.hint))
    return typer.Exit(2)


def _opened(open_library: Callable[[Settings], Opened]) -> Opened:
    settings = get_settings()
    setup_logging(settings.log_level)
    try:
        return open_library(settings)
    except BandingKotaError as exc:
        raise _failed(exc) from exc


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: the bundled documents/).")
    ] = None,
    queue: Annotated[
        bool, typer.Option("--queue", help="Enqueue one task per file for the workers (BK_QUEUE__URL) and print "
                           "the task ids, instead of ingesting here.")
    ] = False,
) -> None:
    """Ingest files and folders; unchanged files are skipped, changed ones replaced."""
    from ingest.library import discover

    if queue:
        _enqueue(discover(paths or [get_settings().documents_dir]))
        return
    from ingest.workers import start_parse_server

    start_parse_server()  # preloads the parsers in its own process while this one opens the store
    library = _open_writer()
    targets = paths or [library.settings.documents_dir]
    files = discover(targets)
    outcomes: list[IngestOutcome] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with library, Progress(*columns, console=console) as progress:
        task = progress.add_task("Ingesting", total=len(files))
        for outcome in library.iter_ingest(files):
            outcomes.append(outcome)
            progress.update(task, advance=1, description=f"{outcome.status:>9} {Path(outcome.path).name[:40]}")
    _report(outcomes)
    if any(o.status == "failed" for o in outcomes):
        # The other files are stored; a non-zero status still tells scripts that the batch was not clean.
        raise typer.Exit(1)


def _enqueue(files: list[Path]) -> None:
    settings = get_settings()
    setup_logging(settings.log_level)
    from ingest.queue.client import enqueue

    try:
        queued = enqueue(settings, files)
    except BandingKotaError as exc:
        raise _failed(exc) from exc
    for entry in queued:
        typer.echo(f"{entry.task_id}\t{entry.path}")  # plain tab-separated lines: scripts cut the ids from them
    console.print(f"Queued {len(queued)} file(s); `banding-kota queue-status ID…` follows them.")


@app.command()
def worker(
    name: Annotated[str | None, typer.Option(help="Worker name (default: bk-<pid>@<host>).")] = None,
) -> None:
    """Run a queue worker: takes ingest tasks from BK_QUEUE__URL, one at a time (start several for more)."""
    settings = get_settings()
    setup_logging(settings.log_level)
    if not settings.queue.url:
        console.print("[red]No ingest queue is configured.[/red] Set BK_QUEUE__URL (e.g. redis://127.0.0.1:6379/0).")
        raise typer.Exit(2)
    if not settings.store.chroma_host:
        console.print("[red]Queue workers share the store with each other and the API, which needs a Chroma "
                      "server.[/red] Set BK_STORE__CHROMA_HOST / __CHROMA_PORT (scripts/cluster.sh up starts one).")
        raise typer.Exit(2)
    from ingest.queue.app import queue_app
    from ingest.queue.tasks import close_worker_library

    # The solo pool runs the task in this very process: `kill -9` of a worker is the death of the task's
    # process, and one process is one task at a time (the parse still runs in its isolated processes).
    # Concurrency 1 as well: Celery reserves concurrency x prefetch tasks, and its default is the CPU count.
    hostname = name or f"bk-{os.getpid()}@{socket.gethostname()}"
    argv = ["worker", "--pool=solo", "--concurrency=1", f"--hostname={hostname}", f"--loglevel={settings.log_level}",
            "--without-gossip", "--without-mingle"]
    try:
        queue_app(settings).worker_main(argv)
    finally:
        close_worker_library()


@app.command("queue-status")
def queue_status(
    task_ids: Annotated[list[str] | None, typer.Argument(help="Task ids printed by `ingest --queue`.")] = None,
) -> None:
    """The state of queued files, and the dead-letter list (files that failed for good, with the reason)."""
    settings = get_settings()
    from ingest.queue.client import dead_letters, job

    out = Console()
    try:
        for task_id in task_ids or []:
            found = job(settings, task_id)
            if found is None:
                out.print(f"{task_id}  unknown (never queued here, or its result expired)")
            else:
                out.print(f"{task_id}  {found.status:<7} {escape(found.filename)}  {escape(found.message)}")
        letters = dead_letters(settings)
    except BandingKotaError as exc:
        raise _failed(exc) from exc
    out.print(f"Dead letters: {len(letters)}")
    for letter in letters:
        out.print(f"  {escape(letter.name)}: {escape(letter.reason)}", soft_wrap=True)
        if letter.hint:
            out.print(f"    {escape(letter.hint)}", soft_wrap=True)


def _report(outcomes: list[IngestOutcome]) -> None:
    counts = Counter(o.status for o in outcomes)
    warned = [o for o in outcomes if o.warnings]
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    if warned:
        summary += f"; {len(warned)} with warnings"
    console.print(f"Done: {summary or 'nothing to do'}.")
    for outcome in warned:
        _print_warnings(outcome)
    for outcome in outcomes:
        if outcome.status == "failed":
            console.print(f"[red]failed[/red] {escape(outcome.error or outcome.path)}")


def _print_warnings(outcome: IngestOutcome) -> None:
    """One block per document: its name, then each warning (pages, why, what to do) without the path prefix."""
    name = Path(outcome.path).name
    console.print(f"[yellow]warning[/yellow] {escape(name)} ({outcome.status}):")
    for warning in outcome.warnings:
        # Loaders begin a warning with the file's name (older stores: its path); the heading says it already.
        text = warning.removeprefix(f"{outcome.path}: ").removeprefix(f"{name}: ")
        console.print(f"  {escape(text)}", soft_wrap=True)
    if outcome.status == "unchanged":
        # An unchanged file is not parsed again, so installing OCR alone does not fix its pages.
        console.print(f"  stored earlier; to parse it again: banding-kota delete {outcome.doc_id}, then ingest it")


@app.command("list")
def list_documents() -> None:
    """List the documents in the store."""
    library = _open_reader()
    out = Console()
    table = Table(box=None)
    # The id is what `delete` takes, so it is never cut; the cities and title give way in a narrow terminal
    # (a column that may not wrap must be given its width, or rich squeezes the others to nothing).
    table.add_column("doc id", no_wrap=True, min_width=16)
    for name in ("type", "year", "lang", "pages", "passages"):
        table.add_column(name, no_wrap=True)
    table.add_column("cities", no_wrap=True, overflow="ellipsis", max_width=LIST_CITIES_WIDTH)
    table.add_column("title", no_wrap=True, overflow="ellipsis",
                     max_width=max(LIST_MIN_TITLE, out.width - LIST_FIXED_WIDTH))
    with library:
        for doc in library.documents():
            regions = (library.gazetteer.get(c) for c in doc.cities)
            cities = ", ".join(r.official for r in regions if r is not None)
            table.add_row(doc.doc_id, doc.doc_type, str(doc.year or ""), doc.language, str(doc.page_count),
                          str(doc.passage_count), cities or "national", doc.title)
    out.print(table)


@app.command()
def delete(doc_id: str) -> None:
    """Delete a document: its passages, index entries, registry mentions and stored file."""
    with _open_writer() as library:
        try:
            meta = library.delete_document(doc_id)
        except BandingKotaError as exc:
            console.print(f"[red]{exc.message}[/red]")
            raise typer.Exit(1) from exc
    console.print(f"Deleted {meta.filename} ({doc_id}).")


@app.command("rebuild-index")
def rebuild_index() -> None:
    """Rebuild the lexical index from the vector store."""
    with _open_writer() as library:
        index = library.rebuild_lexical()
    console.print(f"Lexical index rebuilt over {len(index)} passages.")


@app.command()
def reembed() -> None:
    """Embed the stored passages again with the configured model (BK_EMBEDDING__*), without parsing or OCR:
    the step after changing the embedding model. Stop the API first and restart it afterwards."""
    from ingest.reembed import reembed as reembed_store

    settings = get_settings()
    setup_logging(settings.log_level)
    with Progress(TextColumn("re-embedding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task("passages", total=None)
        try:
            report = reembed_store(settings, lambda done, total: bar.update(task, completed=done, total=total))
        except BandingKotaError as exc:
            raise _failed(exc) from exc
    if report.previous_model is None:
        console.print(f"No passage store in {settings.store.data_dir}: nothing to re-embed.")
    elif not report.passages:
        console.print(f"The store is already embedded with {report.model}; {report.documents} catalog entries updated.")
    else:
        console.print(f"{report.passages} passages re-embedded with {report.model} (were {report.previous_model}) "
                      f"in {report.seconds:.0f} s; {report.documents} documents updated. Restart the API.")


@app.command("catalog-upgrade")
def catalog_upgrade() -> None:
    """Create the catalog's tables or migrate them to this version (BK_STORE__DATABASE_URL, else the SQLite file).
    Opening the catalog does the same; this is the step an operator runs before rolling a new version out."""
    from vectorstore.catalog import Catalog

    settings = get_settings()
    setup_logging(settings.log_level)
    try:
        catalog = Catalog.for_settings(settings.store)
    except BandingKotaError as exc:
        raise _failed(exc) from exc
    before = f"schema {catalog.found_version}" if catalog.found_version else "no schema"
    console.print(f"Catalog {catalog.url}: {before} found, schema {catalog.stats()['schema_version']} now.")
    catalog.close()


@app.command()
def stats() -> None:
    """Corpus statistics."""
    with _open_reader() as library:
        for key, value in library.stats().items():
            Console().print(f"{key:>16}: {value}")


if __name__ == "__main__":
    app()
