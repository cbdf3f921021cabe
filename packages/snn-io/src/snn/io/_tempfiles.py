"""Temporary files of atomic writes: never left behind when Python sees the process end.

A checkpoint is written to ``<name>.tmp-<pid>`` beside its target and renamed over it once it
is complete on disk. While it is written, the temporary file is removed

* when the write raises (any exception, Ctrl-C included);
* when the process receives SIGTERM or SIGHUP: a handler removes it, then hands the signal to
  the handler that was installed before (or, if that was the default action, restores and
  re-raises it, so the process still ends as it would have);
* at interpreter exit (``atexit``), for a write cut short by the end of the program.

A process killed outright (SIGKILL, power loss) cannot clean up; the next save to the same path
removes temporary files whose writing process no longer exists.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from snn.core.errors import ConfigurationError

__all__ = ["check_checkpoint_path", "temporary"]

#: temporary files this process is writing
_ACTIVE: set[Path] = set()
_LOCK = threading.Lock()
_ATEXIT = False
#: signals whose default action ends the process without Python seeing it
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def check_checkpoint_path(path: str | os.PathLike[str]) -> Path:
    """Check that a checkpoint can be written to ``path``, before anything is simulated.

    Parameters
    ----------
    path
        The checkpoint file to be written (it may exist; it is replaced).

    Returns
    -------
    pathlib.Path
        ``path`` as a Path.

    Raises
    ------
    ConfigurationError
        When ``path`` is not a path, names a folder, lies in a folder that does not exist, or
        when the folder (or an existing file) is not writable.
    """
    if not isinstance(path, str | os.PathLike) or not str(path):
        raise ConfigurationError(f"a checkpoint path must be a file path, got {path!r}.")
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise ConfigurationError(f"the checkpoint path {path} is a folder; name a file in it.")
    if not folder.is_dir():
        raise ConfigurationError(
            f"the folder of the checkpoint path {path} does not exist; create it first."
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigurationError(f"cannot write the checkpoint {path}: permission denied.")
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale(path: Path) -> None:
    """Remove temporary files of ``path`` left by processes that no longer run (or by this one)."""
    pattern = re.compile(re.escape(path.name) + r"\.tmp-(\d+)")
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return
    for other in siblings:
        match = pattern.fullmatch(other.name)
        if match is None:
            continue
        pid = int(match.group(1))
        if (pid == os.getpid() and other not in _ACTIVE) or not _alive(pid):
            other.unlink(missing_ok=True)


def _remove_active() -> None:
    with _LOCK:
        for tmp in list(_ACTIVE):
            tmp.unlink(missing_ok=True)
        _ACTIVE.clear()


def _chained(previous: Any) -> Any:
    def handler(signum: int, frame: Any) -> None:
        _remove_active()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    return handler


@contextmanager
def temporary(path: Path) -> Iterator[Path]:
    """The temporary file to write ``path`` through; removed unless the caller renamed it."""
    global _ATEXIT
    remove_stale(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with _LOCK:
        _ACTIVE.add(tmp)
        if not _ATEXIT:
            atexit.register(_remove_active)
            _ATEXIT = True
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in _SIGNALS:
            previous[sig] = signal.getsignal(sig)
            signal.signal(sig, _chained(previous[sig]))
    try:
        yield tmp
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        with _LOCK:
            _ACTIVE.discard(tmp)
        tmp.unlink(missing_ok=True)
