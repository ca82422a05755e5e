"""OAI-PMH benchmark: a whole harvest of the catalogue, as a harvester does it.

    .venv/bin/python bench/run.py --scale 10k --only oai

Step "oai" of bench/run.py. The portal serves the site database (the generated
catalogue imported from CSV into the demo site) under gunicorn with one sync
worker, as in production; a harvester in this process asks for ListRecords
in oai_dc from the start and follows the resumption tokens to the end, then
does the same with ListIdentifiers. Each response is parsed (lxml), its
records counted, its token taken, as any harvester would.

Figures: records (and responses) delivered, wall seconds, records per second,
the mean and the slowest response, and the worker's peak resident memory
(VmHWM, the whole process with Django) against its memory before the harvest.
The harvest is checked, not timed only: it must deliver every public record
once, as many as its first completeListSize says.
"""

import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.core import BenchError, Row, log, step
from bench.pages import serve

OAI = "{http://www.openarchives.org/OAI/2.0/}"


@step(
    "oai",
    order=45,
    about="a whole OAI-PMH harvest (ListRecords oai_dc): records/s, peak memory",
    needs_server=True,
)
def oai_step(context):
    database = context.site_database()
    public = public_count(context, database)
    pid_file = context.work / "gunicorn-oai.pid"
    pid_file.unlink(missing_ok=True)
    rows = []
    with serve(context, database, 1, GUNICORN_CMD_ARGS=f"--pid {pid_file}") as base:
        worker = worker_pid(pid_file)
        # A first request, so the worker has imported what answering needs.
        fetch(base, {"verb": "Identify"})
        before = memory_mb(worker, "VmRSS")
        for verb, element in (("ListRecords", "record"), ("ListIdentifiers", "header")):
            log(f"harvesting {verb} oai_dc from {base}/oai …")
            figures = harvest(base, verb, element)
            if figures["items"] != public or figures["distinct"] != public:
                raise BenchError(
                    f"{verb} delivered {figures['items']:,} items "
                    f"({figures['distinct']:,} distinct) of {public:,} public records"
                )
            seconds = figures["seconds"]
            rows.append(
                Row(
                    f"{verb}, oai_dc, whole catalogue",
                    {
                        "records": figures["items"],
                        "responses": figures["responses"],
                        "seconds": seconds,
                        "records/s": figures["items"] / seconds,
                        "mean ms": 1000 * seconds / figures["responses"],
                        "slowest ms": 1000 * figures["slowest"],
                        "worker RSS before MB": before,
                        "worker peak RSS MB": memory_mb(worker, "VmHWM"),
                    },
                    note=f"completeListSize {figures['size']:,}",
                )
            )
            log(
                f"  {figures['items']:,} in {seconds:.1f} s "
                f"({figures['items'] / seconds:,.0f}/s)"
            )
    return rows


def public_count(context, database):
    context.setup_django(database)
    from catalogue.models import Record

    return Record.objects.public().count()


def fetch(base, params):
    with urllib.request.urlopen(  # noqa: S310 (our own local server)
        f"{base}/oai?{urlencode(params)}", timeout=300
    ) as response:
        return response.read()


def harvest(base, verb, element):
    """A whole list, token after token: what it delivered and how fast."""
    from lxml import etree

    params = {"verb": verb, "metadataPrefix": "oai_dc"}
    items = responses = 0
    identifiers = set()
    slowest = 0.0
    size = None
    started = time.perf_counter()
    while True:
        asked = time.perf_counter()
        document = etree.fromstring(fetch(base, params))
        slowest = max(slowest, time.perf_counter() - asked)
        responses += 1
        error = document.find(f"{OAI}error")
        if error is not None:
            raise BenchError(f"{verb}: {error.get('code')}: {error.text}")
        listed = document.find(f"{OAI}{verb}")
        for found in listed.iter(f"{OAI}identifier"):
            identifiers.add(found.text)
        items += len(listed.findall(f"{OAI}{element}"))
        token = listed.find(f"{OAI}resumptionToken")
        if token is not None and size is None:
            size = int(token.get("completeListSize"))
        if token is None or not token.text:
            break
        params = {"verb": verb, "resumptionToken": token.text}
    return {
        "items": items,
        "distinct": len(identifiers),
        "responses": responses,
        "seconds": time.perf_counter() - started,
        "slowest": slowest,
        "size": size if size is not None else items,
    }


def worker_pid(pid_file, timeout=30):
    """The pid of gunicorn's one worker: the master's child."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid_file.exists() and pid_file.read_text().strip():
            master = int(pid_file.read_text())
            children = Path(f"/proc/{master}/task/{master}/children")
            found = children.read_text().split() if children.exists() else []
            if found:
                return int(found[0])
        time.sleep(0.2)
    raise BenchError("gunicorn's worker did not start")


def memory_mb(pid, field):
    """VmRSS (now) or VmHWM (peak) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise BenchError(f"no {field} for process {pid}")
