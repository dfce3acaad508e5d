"""Readers: files, folders and stdin to :class:`graph.model.Article` objects.

Formats (chosen by extension; stdin is sniffed):

- plain text (``.txt``) and Markdown (``.md``): the first non-empty line is the title unless
  metadata gives one; Markdown may start with ``---`` front matter (``key: value`` lines);
- HTML (``.html``): main text via trafilatura, so navigation, scripts and comment forms
  ("Leave a Reply") are dropped; title, date, author and site name from the page;
- JSON (one object, a list, or ``{"articles": [...]}``) and JSON Lines, records with
  ``title``, ``text`` or ``html``, ``url``, ``published``, ``source``/``outlet``, ``author``;
- RSS/Atom (``.rss``, ``.atom``, ``.xml``) via feedparser, each entry one article.

Metadata precedence, highest first: the ``published=``/``source=`` arguments (the CLI's
``--published``/``--source``), a sidecar ``<file>.meta.json``, then what the file itself says
(front matter, JSON fields, page metadata, feed entry). In files holding several records the
sidecar only fills fields a record leaves empty.

``Article.text`` is exactly what is stored and what every character offset refers to: the
body after :func:`normalise_text` (the title is kept apart in ``Article.title``). What was
changed on the way is listed in ``Article.normalisation``.

One bad input never stops a batch: it becomes a :class:`Skipped` naming the input and why.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable

from graph.errors import InputError
from graph.model import Article

MAX_INPUT_BYTES = 25 * 1024 * 1024
"""Largest single input read. News articles are kilobytes; a feed or JSON Lines dump of a
few thousand articles is a few megabytes. Anything bigger is refused before it is read."""

TEXT_EXTENSIONS = {".txt", ".text"}
MARKDOWN_EXTENSIONS = {".md", ".markdown"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
JSON_EXTENSIONS = {".json"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
FEED_EXTENSIONS = {".rss", ".atom", ".xml"}
SIDECAR_SUFFIX = ".meta.json"
FORMATS = ("text", "markdown", "html", "json", "jsonl", "feed")
READABLE_EXTENSIONS = sorted(
    TEXT_EXTENSIONS | MARKDOWN_EXTENSIONS | HTML_EXTENSIONS | JSON_EXTENSIONS
    | JSONL_EXTENSIONS | FEED_EXTENSIONS
)

# Field names accepted in JSON records, sidecars and front matter, first match wins.
_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "html": ("html",),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "publication_date", "pubdate"),
    "outlet": ("outlet", "source", "site", "publisher", "site_name"),
    "author": ("author", "byline", "authors"),
}


@dataclass(frozen=True)
class Skipped:
    """An input that was not read (``input`` is a path, ``path:line`` or ``path#item``)."""

    input: str
    reason: str

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


@dataclass
class ReadResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Inputs that were read, but with something ignored (e.g. an unreadable date).
    warnings: list[Skipped] = field(default_factory=list)

    def extend(self, other: "ReadResult") -> None:
        self.articles.extend(other.articles)
        self.skipped.extend(other.skipped)
        self.warnings.extend(other.warnings)


class _Skip(Exception):
    """Raised inside a reader to skip the current input with a reason."""


# --------------------------------------------------------------------------- identity, text


def article_id(normalised_text: str) -> str:
    """The article's identity: sha256 of its normalised text, first 16 hex characters."""
    return hashlib.sha256(normalised_text.encode("utf-8")).hexdigest()[:16]


_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile(r"[ \t]{2,}|\t")
_TRAILING_SPACES = re.compile(r"[ \t]+\n")
_LEADING_SPACES = re.compile(r"\n[ \t]+")
_BLANK_LINE_RUNS = re.compile(r"\n{3,}")


def normalise_text(text: str) -> tuple[str, list[str]]:
    """Normalise text for storage; return it with the list of changes made.

    Quotes, apostrophes and dashes are kept as written (curly or straight): they carry
    meaning for attribution. Paragraphs stay separated by one blank line.
    """
    changes: list[str] = []

    def apply(label: str, pattern: re.Pattern[str], replacement: str) -> None:
        nonlocal text
        new = pattern.sub(replacement, text)
        if new != text:
            text = new
            changes.append(label)

    if "\r" in text:
        new = text.replace("\r\n", "\n")
        if new != text:
            changes.append("CRLF->LF")
        if "\r" in new:
            new = new.replace("\r", "\n")
            changes.append("CR->LF")
        text = new
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        text = nfc
        changes.append("unicode NFC")
    apply("removed zero-width characters", _ZERO_WIDTH, "")
    apply("removed control characters", _CONTROL, "")
    apply("replaced non-breaking and other special spaces", _ODD_SPACES, " ")
    apply("collapsed runs of spaces", _SPACE_RUNS, " ")
    apply("stripped spaces at line ends", _TRAILING_SPACES, "\n")
    apply("stripped spaces at line starts", _LEADING_SPACES, "\n")
    apply("collapsed runs of blank lines", _BLANK_LINE_RUNS, "\n\n")
    stripped = text.strip()
    if stripped != text:
        text = stripped
        changes.append("stripped leading and trailing whitespace")
    return text, changes


def _one_line(value: Any) -> str | None:
    """A metadata value as a single clean line, or None when empty."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, (list, tuple)):
        value = ", ".join(part for part in map(_one_line, value) if part)
    text, _ = normalise_text(str(value))
    text = " ".join(text.split())
    return text or None


# --------------------------------------------------------------------------- dates

_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d",
    "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
    "%b. %d, %Y", "%A, %d %B %Y", "%A, %B %d, %Y", "%a, %d %b %Y", "%d.%m.%Y",
)


def parse_date(value: Any) -> dt.date:
    """A publication date from ISO 8601, RFC 2822 or common written forms.

    Raises ``ValueError`` naming the value when it is not a date we can read without
    guessing (numeric day/month orders like ``03/04/2024`` are ambiguous and refused).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, tz=dt.timezone.utc).date()
    text = " ".join(str(value).split())
    if not text:
        raise ValueError("empty date")
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    slashed = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", cleaned)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        if first > 12 >= second:
            return dt.date(year, second, first)
        if second > 12 >= first:
            return dt.date(year, first, second)
        raise ValueError(f"ambiguous date {text!r} (day and month order unknown; use YYYY-MM-DD)")
    raise ValueError(f"unreadable date {text!r} (use YYYY-MM-DD)")


# --------------------------------------------------------------------------- bytes to str

_LEGACY_ENCODINGS = ("cp1252", "latin-1")
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _plausible_legacy_text(text: str) -> bool:
    """Sanity check for a cp1252/latin-1 decoding: Western text is mostly ASCII letters,
    with accented letters and typographic marks here and there; C1 controls or a large share
    of non-ASCII letters mean the bytes are in some other encoding."""
    if _CONTROL.search(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    non_ascii = sum(1 for c in letters if ord(c) > 127)
    return non_ascii <= len(letters) * 0.2


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, list[str]]:
    """Bytes to text: BOM-marked UTF-8/16, then UTF-8, then a charset the input declares,
    then cp1252 and latin-1 if the result passes a sanity check. Raises ``_Skip`` with the
    reason (empty, binary, undecodable)."""
    if not data.strip():
        raise _Skip("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ["decoded UTF-16"]
        except UnicodeDecodeError as exc:
            raise _Skip(f"invalid UTF-16 despite its byte order mark ({exc.reason})") from exc
    if _looks_binary(data):
        raise _Skip("binary file (not text)")
    notes: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("removed byte order mark")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 at byte {exc.start}"
    if declared:
        try:
            return data.decode(declared), notes + [f"decoded as {declared} (declared by the input)"]
        except (UnicodeDecodeError, LookupError):
            pass
    if _UTF8_MULTIBYTE.search(data):
        # Valid UTF-8 sequences next to invalid bytes: mixed encodings. A legacy decoding
        # would turn the UTF-8 parts into mojibake, so refuse rather than store garbage.
        raise _Skip(f"{utf8_error} in otherwise UTF-8 text (mixed encodings)")
    for encoding in _LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_legacy_text(text):
            return text, notes + [f"decoded as {encoding} (not valid UTF-8)"]
    raise _Skip(f"{utf8_error}, and not plausible as {' or '.join(_LEGACY_ENCODINGS)} either")


# --------------------------------------------------------------------------- metadata


def _pick(record: dict[str, Any], name: str) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for alias in _FIELD_ALIASES[name]:
        value = lowered.get(alias)
        if value not in (None, "", [], {}):
            return value
    return None


def _metadata(record: dict[str, Any]) -> dict[str, Any]:
    """The metadata fields a record gives (empty ones left out)."""
    found = {name: _pick(record, name) for name in ("title", "url", "published", "outlet", "author")}
    return {k: v for k, v in found.items() if v is not None}


_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---``-delimited ``key: value`` lines at the top of a file, and the rest.

    Only flat ``key: value`` pairs are read (the fields we use are flat); quotes around a
    value are removed. Raises ``_Skip`` for an unterminated block."""
    if not text.startswith("---"):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if not match:
        raise _Skip("front matter opened with '---' but never closed")
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise _Skip(f"front matter line is not 'key: value': {line.strip()!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[key.strip().lower()] = value
    return fields, text[match.end():]


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Skip(f"sidecar {sidecar.name} unreadable: {exc}") from exc
    if not isinstance(data, dict):
        raise _Skip(f"sidecar {sidecar.name} must hold a JSON object")
    return _metadata(data)


@dataclass
class _Options:
    published: dt.date | None
    source: str | None
    max_bytes: int


@dataclass
class _Draft:
    """An article before its metadata is settled."""

    text: str
    metadata: dict[str, Any]
    notes: list[str]
    origin: str
    first_line_is_title: bool = False


def _finish(draft: _Draft, sidecar: dict[str, Any], options: _Options, *, record_in_multi: bool,
            result: ReadResult) -> None:
    """Merge metadata by precedence, normalise, and add the article (or a skip)."""
    if record_in_multi:
        metadata = {**sidecar, **draft.metadata}
    else:
        metadata = {**draft.metadata, **sidecar}
    text, changes = normalise_text(draft.text)
    title = _one_line(metadata.get("title"))
    if title is None and draft.first_line_is_title:
        title, text = _title_from_first_line(text)
    elif title is not None and text.split("\n", 1)[0].strip().lstrip("#").strip().casefold() == title.casefold():
        text = text.split("\n", 1)[1].lstrip() if "\n" in text else ""
        changes.append("removed title line repeated from metadata")
    if not text:
        result.skipped.append(Skipped(draft.origin, "no article text"))
        return
    published = options.published
    if published is None and metadata.get("published") is not None:
        try:
            published = parse_date(metadata["published"])
        except ValueError as exc:
            result.warnings.append(Skipped(draft.origin, f"published date ignored: {exc}"))
    result.articles.append(
        Article(
            id=article_id(text),
            title=title or "",
            text=text,
            url=_one_line(metadata.get("url")),
            published=published,
            outlet=options.source or _one_line(metadata.get("outlet")),
            author=_one_line(metadata.get("author")),
            source_path=draft.origin,
            normalisation=draft.notes + changes,
        )
    )


def _title_from_first_line(text: str) -> tuple[str | None, str]:
    first, _, rest = text.partition("\n")
    title = first.strip().lstrip("#").strip()
    return (title or None), rest.lstrip("\n")


# --------------------------------------------------------------------------- formats

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))+(?:\s+\"[^\"]*\")?\)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def strip_markdown(text: str) -> tuple[str, bool]:
    """Remove the Markdown markup that news text uses (headings, emphasis, links, images);
    keep link text. Returns the text and whether anything changed."""
    new = _MD_IMAGE.sub("", text)
    new = _MD_LINK.sub(r"\1", new)
    new = _MD_HEADING.sub("", new)
    new = _MD_STRONG.sub(r"\2", new)
    new = _MD_EMPHASIS.sub(r"\1", new)
    return new, new != text


def _read_plain(raw: str, notes: list[str], origin: str, *, markdown: bool) -> list[_Draft]:
    """Text or Markdown, with optional front matter. In plain text a malformed front matter
    block is just text (a line of dashes is common there); in Markdown it is an error."""
    try:
        front, body = split_front_matter(raw)
    except _Skip:
        if markdown:
            raise
        front, body = {}, raw
    if front:
        notes = notes + ["removed front matter"]
    if markdown:
        body, changed = strip_markdown(body)
        if changed:
            notes = notes + ["stripped markdown markup"]
    return [_Draft(body, _metadata(front), notes, origin, first_line_is_title=True)]


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Main text (paragraphs separated by blank lines) and page metadata of an HTML page.

    trafilatura drops navigation, scripts, styles, share bars, related-post lists and comment
    sections; what remains is the article. Raises ``_Skip`` when no main text is found."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, include_images=False,
        with_metadata=True, favor_precision=True,
    )
    if document is None:
        raise _Skip("no main text found in the HTML page")
    found = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = found.get("text") or ""
    if not text.strip():
        raise _Skip("no main text found in the HTML page")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    metadata = {
        "title": found.get("title"),
        "url": found.get("url"),
        "published": found.get("date"),
        "outlet": found.get("sitename"),
        "author": found.get("author"),
    }
    return "\n\n".join(paragraphs), {k: v for k, v in metadata.items() if v}


_HTML_NOTES = ["extracted main text from HTML (trafilatura)", "stripped boilerplate"]


def _read_html(raw: str, notes: list[str], origin: str) -> list[_Draft]:
    text, metadata = html_to_text(raw)
    return [_Draft(text, metadata, notes + _HTML_NOTES, origin)]


def _draft_from_record(record: Any, notes: list[str], origin: str) -> _Draft:
    if not isinstance(record, dict):
        raise _Skip(f"expected a JSON object, found {type(record).__name__}")
    metadata = _metadata(record)
    text = _pick(record, "text")
    html = _pick(record, "html")
    if isinstance(text, str) and text.strip():
        return _Draft(text, metadata, notes, origin)
    if isinstance(html, str) and html.strip():
        body, page = html_to_text(html)
        return _Draft(body, {**page, **metadata}, notes + _HTML_NOTES, origin)
    raise _Skip("no 'text' or 'html' field")


def _read_json(raw: str, notes: list[str], origin: str, result: ReadResult) -> list[_Draft]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _Skip(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, dict):
        return [_draft_from_record(data, notes, origin)]
    if not isinstance(data, list):
        raise _Skip("JSON must be an object, a list of objects or {\"articles\": [...]}")
    drafts = []
    for number, record in enumerate(data, start=1):
        item = f"{origin}#{number}"
        try:
            drafts.append(_draft_from_record(record, notes, item))
        except _Skip as exc:
            result.skipped.append(Skipped(item, str(exc)))
    return drafts


def _read_jsonl(raw: str, notes: list[str], origin: str, result: ReadResult) -> list[_Draft]:
    drafts = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        item = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.skipped.append(Skipped(item, f"malformed JSON line (column {exc.colno}: {exc.msg})"))
            continue
        try:
            drafts.append(_draft_from_record(record, notes, item))
        except _Skip as exc:
            result.skipped.append(Skipped(item, str(exc)))
    return drafts


def _fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content), block elements as paragraphs."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types for broken fragments; fall back to text
        return html
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    return root.text_content()


def _read_feed(data: bytes, notes: list[str], origin: str, result: ReadResult) -> list[_Draft]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.get("version"):
        raise _Skip("not an RSS or Atom feed")
    if not feed.entries:
        if feed.bozo:
            raise _Skip(f"not a readable RSS/Atom feed ({feed.bozo_exception})")
        raise _Skip("feed has no entries")
    outlet = feed.feed.get("title")
    drafts = []
    for number, entry in enumerate(feed.entries, start=1):
        item = f"{origin}#{number}"
        contents = entry.get("content") or []
        body = contents[0].get("value") if contents else entry.get("summary")
        if not body or not body.strip():
            result.skipped.append(Skipped(item, "feed entry has no text"))
            continue
        text = _fragment_text(body) if "<" in body else body
        published = entry.get("published") or entry.get("updated")
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        if parsed:
            published = dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
        metadata = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "published": published,
            "outlet": outlet,
            "author": entry.get("author"),
        }
        metadata = {k: v for k, v in metadata.items() if v}
        drafts.append(_Draft(text, metadata, notes + ["feed entry content as text"], item))
    return drafts


def _sniff_format(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        first_line = data.lstrip().split(b"\n", 1)[0].strip()
        try:
            json.loads(first_line)
            return "jsonl" if data.strip().count(b"\n") else "json"
        except ValueError:
            return "json"
    if head.startswith(b"<"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "html"
    if head.startswith(b"---"):
        return "markdown"
    return "text"


def _format_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    for fmt, extensions in (
        ("text", TEXT_EXTENSIONS), ("markdown", MARKDOWN_EXTENSIONS), ("html", HTML_EXTENSIONS),
        ("json", JSON_EXTENSIONS), ("jsonl", JSONL_EXTENSIONS), ("feed", FEED_EXTENSIONS),
    ):
        if suffix in extensions:
            return fmt
    return None


def _read_bytes(data: bytes, fmt: str, origin: str, sidecar: dict[str, Any], options: _Options,
                result: ReadResult) -> None:
    """Parse one input's bytes in the given format; skips go into ``result``."""
    if fmt == "feed":
        if not data.strip():
            raise _Skip("empty file")
        drafts = _read_feed(data, [], origin, result)
    else:
        declared = None
        if fmt == "html":
            match = _HTML_CHARSET.search(data[:4096])
            declared = match.group(1).decode("ascii").lower() if match else None
            declared = None if declared in (None, "utf-8", "utf8") else declared
        raw, notes = decode_bytes(data, declared=declared)
        if fmt in ("text", "markdown"):
            drafts = _read_plain(raw, notes, origin, markdown=fmt == "markdown")
        elif fmt == "html":
            drafts = _read_html(raw, notes, origin)
        elif fmt == "json":
            drafts = _read_json(raw, notes, origin, result)
        else:
            drafts = _read_jsonl(raw, notes, origin, result)
    # Records of a multi-record file are named path:line or path#item.
    multi = any(draft.origin != origin for draft in drafts)
    for draft in drafts:
        _finish(draft, sidecar, options, record_in_multi=multi, result=result)


# --------------------------------------------------------------------------- entry points


def _options(published: dt.date | str | None, source: str | None, max_bytes: int) -> _Options:
    if published is not None and not isinstance(published, dt.date):
        try:
            published = parse_date(published)
        except ValueError as exc:
            raise InputError(f"--published: {exc}", {"value": str(published)}) from exc
    return _Options(published, _one_line(source), max_bytes)


def _describe_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_file(path: Path, options: _Options, result: ReadResult) -> None:
    origin = str(path)
    fmt = _format_of(path)
    if fmt is None:
        reason = f"unknown extension {path.suffix!r}" if path.suffix else "no file extension"
        result.skipped.append(Skipped(origin, f"{reason} (readable: {', '.join(READABLE_EXTENSIONS)})"))
        return
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _Skip("not a regular file")
        if info.st_size > options.max_bytes:
            raise _Skip(
                f"file is {_describe_size(info.st_size)}, over the {_describe_size(options.max_bytes)}"
                " limit for one input; split it into smaller files"
            )
        with path.open("rb") as handle:
            data = handle.read(options.max_bytes + 1)
        if len(data) > options.max_bytes:  # grew while we looked
            raise _Skip(f"file is over the {_describe_size(options.max_bytes)} limit for one input")
        sidecar = _read_sidecar(path)
        _read_bytes(data, fmt, origin, sidecar, options, result)
    except _Skip as exc:
        result.skipped.append(Skipped(origin, str(exc)))
    except PermissionError:
        result.skipped.append(Skipped(origin, "permission denied"))
    except FileNotFoundError:
        reason = "broken symbolic link" if path.is_symlink() else "no such file"
        result.skipped.append(Skipped(origin, reason))
    except OSError as exc:
        result.skipped.append(Skipped(origin, f"cannot read: {exc.strerror or exc}"))
    except Exception as exc:  # a parser failing on one odd input must not abort the batch
        result.skipped.append(Skipped(origin, f"could not be parsed ({type(exc).__name__}: {exc})"))


def _walk(directory: Path, result: ReadResult) -> list[Path]:
    """Files under a directory, sorted, hidden files and sidecars left out."""
    files: list[Path] = []

    def on_error(exc: OSError) -> None:
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        result.skipped.append(Skipped(str(exc.filename or directory), reason))

    for root, dirs, names in os.walk(directory, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            files.append(Path(root) / name)
    return files


def read_path(
    path: str | os.PathLike[str],
    *,
    published: dt.date | str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> ReadResult:
    """Read a file, or every file under a folder (recursively, in sorted order).

    ``published`` and ``source`` override what the inputs say (``source`` sets the outlet).
    Never raises for a bad input: see ``ReadResult.skipped``. Raises ``InputError`` only for a
    bad ``published`` argument."""
    options = _options(published, source, max_bytes)
    result = ReadResult()
    target = Path(path)
    try:
        is_dir = target.is_dir()
        exists = target.exists() or target.is_symlink()
    except PermissionError:
        result.skipped.append(Skipped(str(target), "permission denied"))
        return result
    if not exists:
        result.skipped.append(Skipped(str(target), "no such file or directory"))
    elif is_dir:
        for file in _walk(target, result):
            _read_file(file, options, result)
    elif target.name.endswith(SIDECAR_SUFFIX):
        result.skipped.append(Skipped(str(target), "a metadata sidecar, not an article"))
    else:
        _read_file(target, options, result)
    return result


def read_paths(paths: Iterable[str | os.PathLike[str]], **kwargs: Any) -> ReadResult:
    """:func:`read_path` over several paths, results merged in order."""
    result = ReadResult()
    for path in paths:
        result.extend(read_path(path, **kwargs))
    return result


def read_stdin(
    stream: BinaryIO | None = None,
    *,
    format: str = "auto",
    name: str = "<stdin>",
    published: dt.date | str | None = None,
    source: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> ReadResult:
    """Read one input from a byte stream (default ``sys.stdin.buffer``).

    ``format`` is one of ``auto`` (sniffed), ``text``, ``markdown``, ``html``, ``json``,
    ``jsonl``, ``feed``."""
    if format != "auto" and format not in FORMATS:
        raise InputError(f"unknown input format {format!r} (one of: auto, {', '.join(FORMATS)})",
                         {"format": format})
    options = _options(published, source, max_bytes)
    result = ReadResult()
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        if len(data) > max_bytes:
            raise _Skip(f"input is over the {_describe_size(max_bytes)} limit for one input")
        fmt = _sniff_format(data) if format == "auto" else format
        _read_bytes(data, fmt, name, {}, options, result)
    except _Skip as exc:
        result.skipped.append(Skipped(name, str(exc)))
    except Exception as exc:  # as for files: report the input, never crash on it
        result.skipped.append(Skipped(name, f"could not be parsed ({type(exc).__name__}: {exc})"))
    return result
