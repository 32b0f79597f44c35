"""Fixtures for the browser tests: a loopback-only JupyterLab and Debian's headless chromium.

Nothing here starts unless a test asks for it, so ``pytest -m "not browser"`` (or any unit
test run) never launches a server or a browser. When a browser test runs:

- ``lab_server`` (session): JupyterLab from this Python environment on 127.0.0.1, a free port
  and a random token, serving a fresh temporary directory (the tutorial notebooks are copied
  there, so running them never writes into the repository). At the end it is stopped through
  ``POST /api/shutdown`` (kernels end cleanly), and any process it left behind is killed.
- ``browser`` (session): ``/usr/bin/chromium`` (or ``$CHROMIUM``) driven by Playwright for Python
  with ``executable_path``; Playwright never downloads a browser. A missing chromium is a test
  failure that names the install command, never a skip (and no server is started then). When
  the session ends the browser is closed and the helper processes it forked away (its crash
  handler) are reaped, so nothing is left behind.
- ``page``: a new page in the session's context (which keeps JupyterLab's scripts cached);
  every request that leaves the machine is aborted; console errors are collected in
  ``page.console_errors``; a screenshot is saved under ``test-artifacts/browser/`` when the
  test ends. ``offline_page``: the same in a context of its own that is offline and lets only
  ``file:`` requests through.
- ``lab``: helpers to open a notebook, wait for the kernel, Run All, save, read the errors and
  outputs, take screenshots; the test's kernels are shut down when it ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").exists())
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", REPO / "test-artifacts" / "browser"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
INSTALL_CHROMIUM = "apt-get update && apt-get install -y chromium"
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-extensions",
    # Names resolve to nothing except the loopback address: a second wall behind the routes.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
# Every http(s) address but the loopback one: requests to these are aborted.
REMOTE = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
# JupyterLab settings for a quiet, predictable page: no news fetch, no autosave, and every
# cell kept in the DOM (the default windowing leaves cells out of view unrendered).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
SERVER_START_TIMEOUT = 90.0
RUN_TIMEOUT_MS = 120_000
PR_SET_CHILD_SUBREAPER = 36


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test, marked or not."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture knows if the test failed."""
    report = (yield).get_result()
    setattr(item, f"rep_{report.when}", report)


# ---------------------------------------------------------------------------------- server
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    """Process ids started (directly or not) by ``pid``, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _command(pid: int) -> str:
    """The process's name as the kernel keeps it (also for a zombie), e.g. ``chromium``."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class LabServer:
    """A running JupyterLab: ``base`` URL, ``token``, served ``root`` and REST helpers."""

    def __init__(self, base: str, token: str, root: Path, process: subprocess.Popen):
        self.base, self.token, self.root, self.process = base, token, root, process

    def url(self, path: str) -> str:
        """The Lab page for ``path`` (relative to the served root), workspace reset."""
        return f"{self.base}/lab/tree/{path}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10.0):
        request = urllib.request.Request(
            f"{self.base}/api/{path}", method=method,
            headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop_kernels(self) -> None:
        """End every session and kernel (frees the two cores for the next test)."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")
        for kernel in self.api("kernels"):
            self.api(f"kernels/{kernel['id']}", method="DELETE")


def _jupyter_server(tmp, app: str, options: list[str], server_class, title: str):
    """Run ``jupyter <app>`` on 127.0.0.1 (a free port, a random token, ``tmp/root`` served,
    settings, config and runtime folders of its own under ``tmp``) and yield it as
    ``server_class``; at the end, shut it down through its API and kill what it left behind."""
    root = tmp / "root"
    root.mkdir(exist_ok=True)
    for name, value in LAB_SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        IPYTHONDIR=str(tmp / "ipython"), PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    env.pop("MPLBACKEND", None)  # inline figures need the notebook backend
    token, port = secrets.token_hex(16), _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = tmp / f"{title.lower().replace(' ', '')}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", *options],
        env=env, cwd=root, stdout=log, stderr=subprocess.STDOUT)
    server = server_class(f"http://127.0.0.1:{port}", token, root, process)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            try:
                server.api("status", timeout=2)
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{title} did not start:\n{log_path.read_text()}") from None
                time.sleep(0.3)
        yield server
    finally:
        started = _descendants(process.pid)
        try:  # graceful: the server shuts its kernels down, then exits
            server.api("shutdown", method="POST")
        except Exception:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.copy(log_path, ARTIFACTS / log_path.name)
        for pid in started:  # anything the server started and left behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="session")
def lab_server(browser, tmp_path_factory):
    """The JupyterLab server (asks for ``browser`` first: no chromium, no server started),
    serving a copy of the tutorials."""
    tmp = tmp_path_factory.mktemp("jupyterlab")
    if NOTEBOOKS.is_dir():
        shutil.copytree(NOTEBOOKS, tmp / "root" / "notebooks",
                        ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    yield from _jupyter_server(
        tmp, "lab", ["--LabApp.extension_manager=readonly",
                     "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        LabServer, "JupyterLab")


# ---------------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: the browser tests need Debian's "
                    f"chromium; install it with `{INSTALL_CHROMIUM}` (or set CHROMIUM=path)",
                    pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install -e '.[dev]' "
                    "(never `playwright install`: the tests use Debian's chromium)",
                    pytrace=False)
    adopting = _adopt_orphans(True)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROME_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if adopting:
            _reap_adopted()
            _adopt_orphans(False)


def _adopt_orphans(on: bool) -> bool:
    """Make this process the reaper of the processes its children leave behind (Linux).

    Chromium's crash handler forks itself away from the browser; when the browser exits it
    would become a zombie of PID 1, which on some machines (containers) never reaps it.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _reap_adopted(timeout: float = 5.0) -> None:
    """Wait for (and reap) the chromium processes adopted while the browser ran; kill late
    ones. The browser itself is closed by then: these are its crash handler and helpers."""
    deadline = time.monotonic() + timeout
    while True:
        adopted = [pid for pid in _descendants(os.getpid())
                   if _parent(pid) == os.getpid() and "chrom" in _command(pid)]
        for pid in adopted:
            if not _alive(pid) or time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
        if not adopted or time.monotonic() > deadline:
            return
        time.sleep(0.1)


def _new_context(browser, **options):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000},
                              service_workers="block", **options)
    ctx.set_default_timeout(60_000)
    return ctx


@pytest.fixture(scope="session")
def context(browser):
    """One context for the session, so JupyterLab's scripts load from its cache after the
    first page. Only remote requests reach Python (to be aborted): a loopback request never
    waits for this process, which may be busy or asleep."""
    ctx = _new_context(browser)
    ctx.route(REMOTE, lambda route: route.abort())
    yield ctx
    ctx.close()


def _only_files(route) -> None:
    if route.request.url.startswith("file:"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def offline_context(browser):
    """A context of its own with the network cut: offline, and every request but a
    ``file:`` one aborted."""
    ctx = _new_context(browser, offline=True)
    ctx.route("**/*", _only_files)
    yield ctx
    ctx.close()


def _open_page(ctx, request):
    pg = ctx.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    report = getattr(request.node, "rep_call", None)
    suffix = "-FAILED" if report is not None and report.failed else ""
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"))
    finally:
        pg.close()


@pytest.fixture
def page(context, request):
    """A new page whose console errors are in ``page.console_errors``; screenshot at the end."""
    yield from _open_page(context, request)


@pytest.fixture
def offline_page(offline_context, request):
    """As ``page``, in ``offline_context``: no request leaves the machine."""
    yield from _open_page(offline_context, request)


# ---------------------------------------------------------------------------------- JupyterLab
class Lab:
    """Drive JupyterLab in ``page``: open a notebook, Run All, read what the cells showed."""

    def __init__(self, server: LabServer, page):
        self.server, self.page = server, page
        # the page's websockets to its kernels, to count what it sends them
        self.kernel_sockets = []
        page.on("websocket", lambda ws: "/api/kernels/" in ws.url
                and self.kernel_sockets.append(ws))

    def open(self, path: str) -> None:
        """Open notebook ``path`` (relative to the served root) and wait for its kernel."""
        page = self.page
        page.goto(self.server.url(path))
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        self.wait_idle()

    def wait_idle(self, timeout: float = 60_000) -> None:
        """Wait until the status bar says the kernel is idle."""
        self.page.locator("#jp-main-statusbar", has_text="| Idle").wait_for(timeout=timeout)

    def run_all(self, timeout: float = RUN_TIMEOUT_MS) -> None:
        """Run > Run All Cells, then wait until no cell is queued or running.

        The status bar reads idle a moment before the kernel is wired to the notebook, so a
        Run All issued then does nothing: it is retried (up to three times) until the first
        code cell shows it has started.
        """
        from playwright.sync_api import expect

        page = self.page
        first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
        for _ in range(3):
            page.locator("#jp-MainMenu .lm-MenuBar-item", has_text="Run").first.click()
            page.locator("#jp-mainmenu-run .lm-Menu-item[data-command='runmenu:run-all']").click()
            try:
                expect(first_prompt).to_have_text(re.compile(r"\[(\d+|\*)\]"), timeout=10_000)
                break
            except AssertionError:
                page.keyboard.press("Escape")
        else:
            raise AssertionError("Run All Cells never started")
        busy = page.locator(".jp-CodeCell .jp-InputPrompt", has_text="[*]")
        expect(busy).to_have_count(0, timeout=timeout)
        self.wait_idle()

    def errors(self) -> list[str]:
        """Text of every error shown in an output: tracebacks (JupyterLab draws them as
        stderr) and widgets that failed to display."""
        found = self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
            ":has-text('Traceback (most recent call last)'), "
            ".jp-OutputArea-output:has-text('Error displaying widget')").all_inner_texts()
        return [text.strip()[:2000] for text in found]

    def save(self, path: str, timeout: float = 30.0) -> dict:
        """File > Save Notebook, then the saved notebook (with every output) as a dict."""
        file = self.server.root / path
        before = file.stat().st_mtime_ns
        page = self.page
        page.locator("#jp-MainMenu .lm-MenuBar-item", has_text="File").first.click()
        page.locator("#jp-mainmenu-file .lm-Menu-item[data-command='docmanager:save']").click()
        deadline = time.monotonic() + timeout
        while file.stat().st_mtime_ns == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"JupyterLab did not save {path}")
            page.wait_for_timeout(100)
        for _ in range(50):  # the server writes the file in place: read it once it parses
            try:
                return json.loads(file.read_text())
            except ValueError:
                page.wait_for_timeout(100)
        raise AssertionError(f"{path} was saved but does not parse as JSON")

    def screenshot(self, name: str, target=None) -> Path:
        """Save a PNG of ``target`` (a locator; the whole page if None) as ``name``.png."""
        path = ARTIFACTS / f"{name}.png"
        (target or self.page).screenshot(path=str(path))
        return path

    def cell_outputs(self, index: int):
        """The output nodes of code cell ``index`` (0-based, code cells only)."""
        cell = self.page.locator(".jp-CodeCell").nth(index)
        return cell.locator(".jp-OutputArea-output")

    def write_notebook(self, name: str, *sources: str) -> str:
        """Write a notebook of ``sources`` (code cells) into a scratch folder of the served
        root; returns its path for ``open``."""
        import nbformat

        notebook = nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(source) for source in sources])
        notebook.metadata["kernelspec"] = {
            "name": "python3", "display_name": "Python 3", "language": "python"}
        folder = self.server.root / "scratch"
        folder.mkdir(exist_ok=True)
        nbformat.write(notebook, folder / name)
        return f"scratch/{name}"


@pytest.fixture
def _kernels_stopped_after(lab_server):
    """Shuts the test's kernels down after its page is closed (set up before ``page``)."""
    yield
    lab_server.stop_kernels()


@pytest.fixture
def lab(lab_server, _kernels_stopped_after, page):
    """``Lab`` helpers on a fresh page; the test's kernels are shut down when it ends."""
    return Lab(lab_server, page)


# ---------------------------------------------------------------------------------- Notebook 7
class Notebook7Server(LabServer):
    """A running Jupyter Notebook 7: its pages are ``/notebooks/<path>``."""

    def url(self, path: str) -> str:
        return f"{self.base}/notebooks/{path}?token={self.token}"


@pytest.fixture(scope="session")
def notebook7_server(browser, tmp_path_factory):
    """Jupyter Notebook 7 (the ``notebook`` package), started and stopped as ``lab_server``.

    Notebook 7 is built from JupyterLab's plugins and reads the same user settings folder, so
    ``LAB_SETTINGS`` apply as they are (the notebook tracker's ``windowingMode`` included).
    """
    yield from _jupyter_server(tmp_path_factory.mktemp("notebook7"), "notebook", [],
                               Notebook7Server, "Notebook 7")


# Notebook 7.6's own page load throws this once (its shortcuts plugin reads the schema of its
# own settings before they are loaded, when the document manager's settings change); it is
# no error of the page's outputs, and a notebook with nothing but ``1 + 1`` shows it too.
NOTEBOOK7_LOAD_ERRORS = {"Cannot read properties of undefined (reading 'schema')"}


class Notebook7(Lab):
    """``Lab``'s helpers in Notebook 7's page (one notebook, no status bar), and ``run_cell``."""

    def open(self, path: str) -> None:
        page = self.page
        page.goto(self.server.url(path))
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        self.wait_idle()

    def wait_idle(self, timeout: float = 60_000) -> None:
        """Wait until the toolbar's kernel indicator says the kernel is idle."""
        self.page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(
            timeout=timeout)

    def run_cell(self, index: int, timeout: float = RUN_TIMEOUT_MS) -> None:
        """Select code cell ``index`` (0-based), run it (Shift+Enter), wait for its number.

        As in ``Lab.run_all``, a run issued before the kernel is wired to the notebook (the
        toolbar already reads idle) does nothing but move the selection on; the cell shows
        ``[*]`` at once when a run is taken, so it is retried (up to four times) until it does.
        """
        from playwright.sync_api import expect

        cell = self.page.locator(".jp-CodeCell").nth(index)
        prompt = cell.locator(".jp-InputPrompt")
        for _ in range(4):
            cell.locator(".jp-InputArea-prompt").click()
            self.page.keyboard.press("Shift+Enter")
            try:
                expect(prompt).to_have_text(re.compile(r"\[(\d+|\*)\]"), timeout=5_000)
                break
            except AssertionError:
                pass
        else:
            raise AssertionError(f"cell {index} never started")
        expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=timeout)
        self.wait_idle()


@pytest.fixture
def _notebook7_kernels_stopped_after(notebook7_server):
    yield
    notebook7_server.stop_kernels()


@pytest.fixture
def notebook7(notebook7_server, _notebook7_kernels_stopped_after, page):
    """``Notebook7`` helpers on a fresh page; the test's kernels are shut down when it ends."""
    return Notebook7(notebook7_server, page)
