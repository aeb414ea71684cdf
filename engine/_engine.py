"""The intent engine: compiled locales, locale detection, and `recognize()`.

`PatternSet` loads a directory of `<locale>/*.intents` files and remembers the last good parse of
every file, so a broken save falls back to the previous version of that file and the error is
reported instead of taking the patterns down.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine import _ast as ast
from engine._compile import CompiledLocale, compile_locale
from engine._fuzzy import deletion_index
from engine._match import prepare, recognize_words
from engine._normalize import tokenize
from engine._parse import parse_file
from engine._result import Match, Result
from engine.contract import COURTESY_INTENTS
from engine.errors import PatternError, PatternSyntaxError, SourceSpot, UnknownLocaleError

__all__ = ["MAX_MESSAGE_CHARS", "IntentEngine", "PatternSet", "load_patterns", "normalize_locale"]

MAX_MESSAGE_CHARS = 4000
"""Longer messages are cut here before matching, which bounds the time any message can take."""
_DETECTION_ORDER = ("en", "es", "fr", "de")


def _source_version() -> str:
    """A hash of the grammar and the AST and parser code: a cached parse from another version of
    either is never used."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    grammar = here.parent / "grammar" / "intents.lark"
    for part in (grammar, here / "_ast.py", here / "_parse.py", here / "_fastparse.py"):
        digest.update(part.read_bytes())
    return digest.hexdigest()[:16]


_AST_VERSION = _source_version()


def _split_courtesy(matches: list[Match]) -> tuple[list[Match], list[Match]]:
    if len(matches) < 2 or all(m.intent in COURTESY_INTENTS for m in matches):
        return matches, []
    requests = [m for m in matches if m.intent not in COURTESY_INTENTS or m.slots]
    return requests, [m for m in matches if m not in requests]


def normalize_locale(locale: str) -> str:
    """`es-MX`, `ES`, `es_ES` → `es`."""
    return locale.strip().lower().replace("_", "-").split("-", 1)[0]


class IntentEngine:
    """Recognizes intents in messages. Immutable once built; a reload builds a new one."""

    def __init__(
        self,
        locales: dict[str, CompiledLocale],
        *,
        default_currency: str = "EUR",
        version: str = "",
    ) -> None:
        self._locales = dict(locales)
        self.default_currency = default_currency
        self.version = version
        weights: dict[str, dict[str, float]] = {}
        for code, compiled in self._locales.items():
            for word in compiled.vocabulary:
                weights.setdefault(word, {})[code] = 0.0
        for per_locale in weights.values():
            share = 1.0 / len(per_locale)
            for code in per_locale:
                per_locale[code] = share
        self._weights = weights

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(sorted(self._locales))

    def compile_all(self) -> None:
        """Build every locale's RE2 programs and typo index now instead of on first use (a
        shopper switching language would otherwise wait ~100 ms for the index of the new one)."""
        for compiled in self._locales.values():
            compiled.compile_all()
            deletion_index(compiled)

    def compiled(self, locale: str) -> CompiledLocale:
        code = normalize_locale(locale)
        try:
            return self._locales[code]
        except KeyError:
            raise UnknownLocaleError(locale, self.locales) from None

    def detect_locales(self, text: str) -> list[str]:
        """Locales ordered by how much of the text's vocabulary they know (best first)."""
        return self._ranked(tokenize(text).words)

    def _ranked(self, words: Iterable[str]) -> list[str]:
        scores: dict[str, float] = {}
        weights = self._weights
        for w in words:
            per_locale = weights.get(w)
            if per_locale:
                for code, weight in per_locale.items():
                    scores[code] = scores.get(code, 0.0) + weight
        if not scores:
            fallback = [c for c in _DETECTION_ORDER if c in self._locales] or self.locales
            return list(fallback[:1])
        order = {c: i for i, c in enumerate(_DETECTION_ORDER)}
        return sorted(scores, key=lambda c: (-scores[c], order.get(c, 99)))

    def recognize(
        self,
        text: str,
        locale: str | None = None,
        *,
        explain: bool = False,
        fuzzy: bool = True,
    ) -> Result:
        """The intents of one message. Without a locale, it is detected from the text."""
        started = time.perf_counter_ns()
        message = text[:MAX_MESSAGE_CHARS]
        tokens = tokenize(message)
        if locale is None:
            order = self._ranked(tokens.words)
        else:
            code = locale if locale in self._locales else normalize_locale(locale)
            if code not in self._locales:
                raise UnknownLocaleError(locale, self.locales)
            order = [code]
        near: list[str] | None = [] if explain else None
        status, matches, alternatives = "none", [], []
        chosen = order[0]
        for code in order:
            compiled = self._locales[code]
            segment = prepare(compiled, tokens)
            status, matches, alternatives = recognize_words(
                compiled, segment, self.default_currency, fuzzy=fuzzy, near_misses=near
            )
            if status != "none":
                chosen = code
                break
        courtesy: list[Match] = []
        if status == "matched":
            matches, courtesy = _split_courtesy(matches)
        return Result(
            status=status,  # type: ignore[arg-type]
            locale=chosen,
            text=text,
            matches=tuple(matches),
            alternatives=tuple(alternatives),
            near_misses=tuple(dict.fromkeys(near)) if near else (),
            micros=(time.perf_counter_ns() - started) / 1000,
            locale_detected=locale is None,
            courtesy=tuple(courtesy),
        )


@dataclass(frozen=True, slots=True)
class _Parsed:
    digest: str
    file: ast.PatternFile


class PatternSet:
    """Loads pattern directories, keeping the last good version of every file and locale."""

    def __init__(
        self, root: Path, *, default_currency: str = "EUR", cache_dir: Path | None = None
    ) -> None:
        self.root = Path(root)
        self.default_currency = default_currency
        self.cache_dir = cache_dir
        """Where parsed files are kept between runs (None: parse every file every time)."""
        self._parsed: dict[Path, _Parsed] = {}
        self._compiled: dict[str, tuple[str, CompiledLocale]] = {}

    def _display(self, path: Path) -> str:
        base = self.root.parent.parent if self._is_locale_dir(self.root) else self.root.parent
        try:
            return str(path.relative_to(base))
        except ValueError:
            return str(path)

    @staticmethod
    def _is_locale_dir(directory: Path) -> bool:
        return any(directory.glob("*.intents"))

    def files(self) -> dict[str, list[Path]]:
        """Locale code to its pattern files, from the folder layout."""
        if not self.root.is_dir():
            raise PatternError(
                f"pattern directory {self.root} does not exist; point SHOPMCP_PATTERNS at the "
                "folder that holds <locale>/*.intents",
                SourceSpot(str(self.root), 1, 1),
            )
        if self._is_locale_dir(self.root):
            return {self.root.name: sorted(self.root.glob("*.intents"))}
        return {
            d.name: sorted(d.glob("*.intents"))
            for d in sorted(self.root.iterdir())
            if d.is_dir() and any(d.glob("*.intents"))
        }

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and modification time of every pattern file: changes when any file does."""
        out = []
        for paths in self.files().values():
            for path in paths:
                try:
                    st = path.stat()
                except OSError:
                    continue
                out.append((str(path), st.st_size, st.st_mtime_ns))
        return tuple(out)

    def load(self) -> tuple[IntentEngine, list[PatternError]]:
        """Build an engine from what is on disk now; errors come back with the fallbacks used."""
        errors: list[PatternError] = []
        locales: dict[str, CompiledLocale] = {}
        digests: list[str] = []
        for code, paths in self.files().items():
            parsed: list[ast.PatternFile] = []
            for path in paths:
                entry = self._parse(path, code, errors)
                if entry is not None:
                    parsed.append(entry.file)
                    digests.append(entry.digest)
            locale_digest = hashlib.sha256(
                "".join(sorted(self._parsed[p].digest for p in paths if p in self._parsed)).encode()
            ).hexdigest()
            previous = self._compiled.get(code)
            if previous is not None and previous[0] == locale_digest:
                locales[code] = previous[1]
                continue
            try:
                compiled = compile_locale(code, parsed)
            except PatternError as exc:
                errors.append(exc)
                if previous is not None:
                    locales[code] = previous[1]
                continue
            self._compiled[code] = (locale_digest, compiled)
            locales[code] = compiled
        version = hashlib.sha256("".join(sorted(digests)).encode()).hexdigest()[:12]
        engine = IntentEngine(locales, default_currency=self.default_currency, version=version)
        return engine, errors

    def _parse(self, path: Path, code: str, errors: list[PatternError]) -> _Parsed | None:
        display = self._display(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            errors.append(
                PatternSyntaxError(f"cannot read the file: {exc}", SourceSpot(display, 1, 1))
            )
            return self._parsed.get(path)
        digest = hashlib.sha256(raw).hexdigest()
        cached = self._parsed.get(path)
        if cached is not None and cached.digest == digest:
            return cached
        try:
            parsed = self._cached(digest, display) or parse_file(path, display)
            if parsed.locale != code:
                raise PatternSyntaxError(
                    f"the file says 'locale {parsed.locale}' but lives in the '{code}' folder; "
                    f"move it or change the line to 'locale {code}'",
                    SourceSpot(display, 1, 1),
                )
        except PatternError as exc:
            errors.append(exc)
            return cached  # the last good version keeps serving
        entry = _Parsed(digest, parsed)
        self._parsed[path] = entry
        self._store(digest, display, parsed)
        return entry

    def _cache_file(self, digest: str, display: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"{_AST_VERSION}:{display}:{digest}".encode()).hexdigest()
        return self.cache_dir / f"{key}.pickle"

    def _cached(self, digest: str, display: str) -> ast.PatternFile | None:
        """The parse of a file with this content, from an earlier run."""
        path = self._cache_file(digest, display)
        if path is None or not path.exists():
            return None
        try:
            with path.open("rb") as f:
                parsed = pickle.load(f)  # our own cache, keyed by the content's hash
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return parsed if isinstance(parsed, ast.PatternFile) else None

    def _store(self, digest: str, display: str, parsed: ast.PatternFile) -> None:
        path = self._cache_file(digest, display)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            with temporary.open("wb") as f:
                pickle.dump(parsed, f, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs the next start a parse


def load_patterns(
    directory: Path | str, *, default_currency: str = "EUR", cache_dir: Path | None = None
) -> IntentEngine:
    """Compile a pattern directory; raise the first PatternError if any file is wrong."""
    engine, errors = PatternSet(
        Path(directory), default_currency=default_currency, cache_dir=cache_dir
    ).load()
    if errors:
        raise errors[0]
    return engine
