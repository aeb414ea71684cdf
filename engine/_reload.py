"""Hot reload: a watcher thread recompiles changed pattern files and swaps the live engine.

The swap is one attribute assignment, so a reader sees either the old engine or the new one, never
a mix. A broken file leaves its last good version (and every other file) serving; the error is kept
in `errors` for the health endpoint and the playground.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

from engine._engine import IntentEngine, PatternSet
from engine.errors import PatternError

__all__ = ["LiveEngine"]

# watchfiles waits for this long after a change for more changes before reporting them; with the
# poll step this keeps a save live well under a second.
DEBOUNCE_MS = 50
STEP_MS = 20
RESCAN_MS = 300


class LiveEngine:
    """An IntentEngine that follows its pattern directory."""

    def __init__(
        self, root: Path | str, *, default_currency: str = "EUR", cache_dir: Path | None = None
    ) -> None:
        self.root = Path(root)
        self._patterns = PatternSet(
            self.root, default_currency=default_currency, cache_dir=cache_dir
        )
        self._lock = threading.Lock()
        self._listeners: list[Callable[[IntentEngine, list[PatternError]], None]] = []
        self._seen = self._patterns.fingerprint()
        engine, errors = self._patterns.load()
        if errors and not engine.locales:
            raise errors[0]
        self.engine: IntentEngine = engine
        self.errors: list[PatternError] = errors
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._warming = False

    def on_reload(self, listener: Callable[[IntentEngine, list[PatternError]], None]) -> None:
        self._listeners.append(listener)

    def reload(self) -> list[PatternError]:
        """Recompile from disk now; return the errors (empty when every file compiled)."""
        with self._lock:
            self._seen = self._patterns.fingerprint()
            engine, errors = self._patterns.load()
            self.engine = engine
            self.errors = errors
        if self._warming:
            self.warm()  # the new engine's programs, like the first one's
        for listener in self._listeners:
            listener(engine, errors)
        return errors

    def warm(self) -> threading.Thread:
        """Build the current engine's RE2 programs in a daemon thread, so the first messages do
        not pay for them; messages arriving meanwhile build what they need themselves."""
        self._warming = True
        engine = self.engine
        thread = threading.Thread(target=engine.compile_all, name="pattern-warmup", daemon=True)
        thread.start()
        return thread

    def start(self) -> None:
        """Watch the directory in a daemon thread until `stop()`."""
        if self._thread is not None:
            return
        self._stop.clear()
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, args=(ready,), name="pattern-watcher", daemon=True
        )
        self._thread.start()
        ready.wait(timeout=5)

    def _watch(self, ready: threading.Event) -> None:
        def only_patterns(_change: watchfiles.Change, path: str) -> bool:
            return path.endswith(".intents")

        ready.set()
        for changes in watchfiles.watch(
            self.root,
            watch_filter=only_patterns,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=RESCAN_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            # Between starting this thread and the OS watch being in place a save can slip by; a
            # cheap scan on every quiet interval catches it.
            if changes or self._patterns.fingerprint() != self._seen:
                self.reload()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
