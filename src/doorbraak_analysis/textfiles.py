"""Text files as they really come: the encoding of a CSV, and refusing what is not text.

One helper for every reader of the analysis package (``doorbraak link``, ``doorbraak flows``,
the register extracts of ``doorbraak risk``):

    encoding = detect_encoding(path)      # a Python codec name, or TextFileError

- A file that decodes as UTF-8 (with or without byte-order mark) is UTF-8: ``"utf-8-sig"``.
- Otherwise charset-normalizer chooses among the single-byte encodings municipal systems write
  (Windows-1252, Latin-1). Latin-1 text is read as Windows-1252: the two agree on every printable
  character of Latin-1, and the bytes where they differ (0x80-0x9F) are control codes in Latin-1,
  which no text contains.
- NUL bytes and other control bytes mean binary content (a spreadsheet, a zip, a PDF renamed to
  .csv): refused, with the line.
- Bytes that no candidate explains, or a file that is partly UTF-8 and partly something else,
  are refused naming the line of the first such byte.

The file is read in chunks; it is never held in memory whole.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

__all__ = ["TextFileError", "detect_encoding", "CANDIDATES"]

CANDIDATES = ["utf_8", "cp1252", "latin_1"]
CHUNK = 1 << 22
SAMPLE = 1 << 16

# C0 control bytes that do not occur in text files. Tab, newlines, VT/FF, Ctrl-Z (the old DOS
# end-of-file mark) and the separators 0x1C-0x1F (treated as whitespace by the readers) are let
# through.
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x19\x1b]")
_TEXT_BYTES = bytes(b for b in range(256) if not _BINARY.match(bytes([b])))  # deleted by translate
# a well-formed UTF-8 sequence of two or more bytes
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# bytes undefined in Windows-1252 (control codes in Latin-1, which no text holds)
_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_DEFINED_BYTES = bytes(b for b in range(256) if not _UNDEFINED.match(bytes([b])))


class TextFileError(ValueError):
    """A file that is not text in a known encoding. ``kind`` is ``"binary"`` or ``"encoding"``;
    ``line`` is 1-based; ``byte`` the offending byte value."""

    def __init__(self, path: str | Path, line: int, kind: str, byte: int, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.kind = kind
        self.byte = byte
        self.reason = reason
        super().__init__(f"{self.path}, line {line}: {reason}")


def _binary_error(path: str | Path, line: int, byte: int) -> TextFileError:
    what = "NUL byte" if byte == 0 else f"control byte 0x{byte:02X}"
    return TextFileError(
        path, line, "binary", byte, f"{what}: binary content, not a text file (CSV) - refused"
    )


def _encoding_error(path: str | Path, line: int, byte: int, why: str) -> TextFileError:
    return TextFileError(path, line, "encoding", byte, f"byte 0x{byte:02X} {why}")


def detect_encoding(path: str | Path) -> str:
    """The codec to read ``path`` with, or TextFileError (binary content, unexplained bytes)."""
    path = Path(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0  # newlines before the current chunk
    offset = 0  # file offset of the current chunk
    utf8_seq = False  # the file holds well-formed multi-byte UTF-8 somewhere
    failure: tuple[int, int, int] | None = None  # (offset, line, byte) of the first non-UTF-8 byte
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            # fast test; the regex finds where
            if chunk.translate(None, _TEXT_BYTES) and (hit := _BINARY.search(chunk)):
                line = lines + chunk.count(b"\n", 0, hit.start()) + 1
                raise _binary_error(path, line, chunk[hit.start()])
            if failure is None:
                pending = decoder.getstate()[0]
                try:
                    if not decoder.decode(chunk).isascii():
                        utf8_seq = True
                except UnicodeDecodeError as exc:
                    data = pending + chunk
                    line = lines + data.count(b"\n", 0, exc.start) + 1
                    failure = (offset - len(pending) + exc.start, line, data[exc.start])
            if (
                failure is not None
                and not utf8_seq
                and not chunk.isascii()
                and _UTF8_SEQ.search(chunk)
            ):
                utf8_seq = True
            lines += chunk.count(b"\n")
            offset += len(chunk)
    if failure is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends inside a multi-byte sequence
            failure = (offset - 1, lines + 1, 0)
        else:
            return "utf-8-sig"
    at, line, byte = failure
    if utf8_seq:
        raise _encoding_error(
            path,
            line,
            byte,
            "is not UTF-8, while the rest of the file is: mixed encodings - "
            "save the file in one encoding (UTF-8)",
        )
    # Not UTF-8: a byte undefined in Windows-1252 (a control code in Latin-1) is no character in
    # any candidate; name the line of the first one.
    lines = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            if chunk.translate(None, _DEFINED_BYTES) and (hit := _UNDEFINED.search(chunk)):
                line = lines + chunk.count(b"\n", 0, hit.start()) + 1
                raise _encoding_error(
                    path, line, chunk[hit.start()], "is not a character in Windows-1252 or Latin-1"
                )
            lines += chunk.count(b"\n")
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE)
        if at >= SAMPLE:
            fh.seek(max(at - SAMPLE // 2, SAMPLE))
            sample += b"\n" + fh.read(SAMPLE)
    best = charset_normalizer.from_bytes(sample, cp_isolation=CANDIDATES).best()
    if best is None or best.encoding == "utf_8":
        raise _encoding_error(path, line, byte, "is not text in UTF-8, Windows-1252 or Latin-1")
    return "cp1252"
