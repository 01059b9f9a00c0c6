"""The compiled reader of a List of Holders (holders/native/fastrows.c) and the loop around it.

The C scanner reads a CSV file in blocks, checks each row that is plainly valid and writes it
as COPY text; every other row comes back here, is read by Python's csv module and checked by
holders.validation, the reference, exactly as the reference way would (holders.imports). A
row with a problem, a holder listed twice, or anything about the file the scanner is not
sure of raises Doubt: the caller then throws away what was written and imports the file the
reference way alone, which names every problem. So the scanner can only make a good file
faster; what is accepted and stored, and every refusal, are the reference's.

No Django here. The library is built by `make install` (or `make holders/native/fastrows.so`);
without it `available()` is False and every import goes the reference way.
"""

from __future__ import annotations

import csv
import ctypes
import io
import logging
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from functools import cache
from pathlib import Path

from holders.reading import RawTable, has_values, header_cells
from holders.validation import ColumnIndex, HolderRow, RowValidator, holder_key
from holders.vocabulary import _FLAGS, _STATE_CODES, COUNTRY_CODES, FIELDS, MAX_LENGTHS

log = logging.getLogger(__name__)
LIBRARY = Path(__file__).with_name("native") / "fastrows.so"
# Encodings in which every byte below 0x80 is that ASCII character, with the bytes to skip
# at the start (a UTF-8 byte-order mark) and the codec that decodes what comes after.
ENCODINGS = {"utf-8": (0, "utf-8"), "utf-8-sig": (3, "utf-8"), "cp1252": (0, "cp1252")}
ENCODINGS["latin-1"] = (0, "latin-1")
BLOCK = 4 * 1024 * 1024
# A row still open after this many bytes is left to the reference (the csv module refuses a
# value over 128 KB): reading it again from its start at each block would take forever.
LONGEST_ROW = 1024 * 1024
# Rows handed back per call; the scanner returns early when this many are waiting.
FALLBACK_ROWS = 4096
# The duplicate check's table starts this large at most (it grows), whatever the line count.
KEYS_AT_FIRST = 1 << 22
SCAN_DONE, SCAN_MORE, SCAN_DOUBT = 0, 1, 2
LIMITS = ("name", "city", "state", "postal_code", "email")


class Doubt(Exception):
    """The file must be imported the reference way; the message says why (for the log)."""


@dataclass(frozen=True)
class Scanned:
    count: int
    total: Decimal
    excluded: Decimal
    # Rows read by the scanner and by the reference.
    compiled_rows: int
    reference_rows: int


@cache
def _library():
    try:
        library = ctypes.CDLL(os.fspath(LIBRARY))
    except OSError as error:
        log.warning(
            "The compiled row checks (%s) are not built (%s): holders files are checked in "
            "Python, about 3 times as long for a large list. `make install` builds them.",
            LIBRARY,
            error,
        )
        return None
    handle, size, char_p, int64 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_int64
    int64_p, size_p = ctypes.POINTER(int64), ctypes.POINTER(size)
    library.fr_new.restype = handle
    library.fr_new.argtypes = [
        ctypes.c_int,
        ctypes.c_int,
        ctypes.POINTER(ctypes.c_int),
        int64_p,
        char_p,
        ctypes.c_uint64,
        ctypes.c_uint64,
        int64,
    ]
    library.fr_free.argtypes = [handle]
    library.fr_add_state.argtypes = [handle, char_p, char_p]
    library.fr_add_country.argtypes = [handle, char_p]
    library.fr_add_flag.argtypes = [handle, char_p, ctypes.c_int]
    library.fr_add_key.argtypes = [handle, char_p, size]
    library.fr_doubt.restype = char_p
    library.fr_doubt.argtypes = [handle]
    library.fr_totals.argtypes = [
        handle,
        int64_p,
        char_p,
        char_p,
        ctypes.POINTER(ctypes.c_int),
        int64_p,
    ]
    library.fr_scan.argtypes = [
        handle,
        ctypes.c_void_p,
        size,
        ctypes.c_int,
        ctypes.c_void_p,
        size,
        size_p,
        int64_p,
        size,
        size_p,
        size_p,
    ]
    return library


def available() -> bool:
    return _library() is not None


def eligible(table: RawTable) -> bool:
    """Whether the scanner can read this file: a CSV file in an ASCII-compatible encoding."""
    return table.format == "csv" and table.encoding in ENCODINGS and available()


def scan(
    path,
    table: RawTable,
    columns: ColumnIndex,
    *,
    prefix: str,
    write: Callable[[bytes], object],
    write_holder: Callable[[HolderRow], object],
    progress: Callable[[int], object] = lambda row: None,
    expected_rows: int = 0,
    block: int = BLOCK,
) -> Scanned:
    """Read, check and write every holder of the file at `path` (opened as `table`): COPY
    text of the scanner's rows to `write`, the reference's rows to `write_holder`, and the
    number of the row reached to `progress` after each `block` bytes. Raises Doubt."""
    if not eligible(table):
        raise Doubt("not a file the compiled checks read")
    library = _library()
    scanner = _Scanner(library, table, columns, prefix, min(expected_rows, KEYS_AT_FIRST))
    try:
        return scanner.run(path, write, write_holder, progress, block)
    finally:
        library.fr_free(scanner.handle)


class _Scanner:
    def __init__(self, library, table, columns, prefix, expected_rows):
        self.library = library
        self.table, self.columns = table, columns
        positions = (ctypes.c_int * len(FIELDS))(*(columns.positions.get(f, -1) for f in FIELDS))
        limits = (ctypes.c_int64 * len(LIMITS))(*(MAX_LENGTHS[name] for name in LIMITS))
        # Keyed per import: a file cannot be made to pile its holders' keys on one hash.
        k0, k1 = struct.unpack("<QQ", os.urandom(16))
        self.handle = library.fr_new(
            ord(table.delimiter),
            len(columns.headers),
            positions,
            limits,
            prefix.encode("ascii"),
            k0,
            k1,
            expected_rows,
        )
        if not self.handle:
            raise Doubt("the scanner does not take these columns or this separator")
        for key, code in _STATE_CODES.items():
            if len(key) == 2 and key.isascii():
                library.fr_add_state(self.handle, key.encode(), code.encode())
        for code in COUNTRY_CODES:
            library.fr_add_country(self.handle, code.encode())
        for word, value in _FLAGS.items():
            if not library.fr_add_flag(self.handle, word.encode(), int(value)):
                raise Doubt(f"the yes/no word {word!r} is not one the scanner can compare")
        self.skip, self.codec = ENCODINGS[table.encoding]
        self.validator = RowValidator(columns)
        self.address_1 = columns.positions["address_1"]
        self.header_seen = False
        self.reference_rows = 0
        self.excluded: list[Decimal] = []

    def run(self, path, write, write_holder, progress, block_size) -> Scanned:
        library, handle = self.library, self.handle
        out = bytearray()
        fallback = (ctypes.c_int64 * (3 * FALLBACK_ROWS))()
        out_len, fallback_n, consumed = ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_size_t()
        data = bytearray()
        with open(path, "rb") as stream:
            stream.seek(self.skip)
            final = False
            while not final:
                block = stream.read(block_size)
                final = not block
                data += block
                # Room for any row of the data written out twice over (the scanner's bound),
                # so that a call that stops for room has always written something.
                if len(out) < 2 * len(data) + 1024 * 1024:
                    out = bytearray(2 * len(data) + 1024 * 1024)
                # The buffers move when they grow: their addresses are taken for each block.
                address = ctypes.addressof((ctypes.c_char * len(data)).from_buffer(data))
                out_address = ctypes.addressof((ctypes.c_char * len(out)).from_buffer(out))
                offset = 0
                while True:
                    code = library.fr_scan(
                        handle,
                        address + offset,
                        len(data) - offset,
                        int(final),
                        out_address,
                        len(out),
                        ctypes.byref(out_len),
                        fallback,
                        FALLBACK_ROWS,
                        ctypes.byref(fallback_n),
                        ctypes.byref(consumed),
                    )
                    if out_len.value:
                        write(bytes(memoryview(out)[: out_len.value]))
                    if fallback_n.value:
                        spans = [
                            (
                                offset + fallback[3 * i],
                                offset + fallback[3 * i + 1],
                                fallback[3 * i + 2],
                            )
                            for i in range(fallback_n.value)
                        ]
                        self._reference(data, spans, write_holder)
                    if code == SCAN_DOUBT:
                        raise Doubt(library.fr_doubt(handle).decode())
                    offset += consumed.value
                    if code == SCAN_DONE:
                        break
                del data[:offset]
                if final and data:
                    raise Doubt("the scanner stopped before the end of the file")
                if len(data) > LONGEST_ROW:
                    raise Doubt(f"a row longer than {LONGEST_ROW:,} bytes")
                progress(self._totals()[4])
        return self._result()

    def _reference(self, data: bytearray, spans, write_holder) -> None:
        """Read the scanner's left-over rows with the csv module and check them with the
        reference, as holders.reading and holders.validation read and check every row."""
        pieces = []
        for start, end, _ in spans:
            piece = bytes(data[start:end])
            # The last row of a file may end without a line break.
            pieces.append(piece if piece.endswith((b"\n", b"\r")) else piece + b"\n")
        text = b"".join(pieces).decode(self.codec)
        reader = csv.reader(
            io.StringIO(text, newline=""),
            delimiter=self.table.delimiter,
            strict=True,
            skipinitialspace=True,
        )
        try:
            records = list(reader)
        except csv.Error as error:
            raise Doubt(f"the csv module does not read a row the scanner read: {error}") from None
        if len(records) != len(spans):
            raise Doubt("the csv module reads the rows apart differently")
        check, library, handle = self.validator.check, self.library, self.handle
        for (_, _, row), cells in zip(spans, records, strict=True):
            if not self.header_seen:
                self.header_seen = True
                if header_cells(cells) != list(self.table.headers):
                    raise Doubt("the header the scanner found is not the file's header")
                continue
            if not has_values(cells):
                continue
            holder = check(row, cells)
            if holder is None:
                raise Doubt(f"row {row} has a problem")
            key = holder_key(holder.name, cells[self.address_1].strip(), holder.postal_code)
            encoded = key.encode()
            if library.fr_add_key(handle, encoded, len(encoded)) != 1:
                raise Doubt(f"row {row}'s holder may be listed twice")
            self.reference_rows += 1
            if holder.is_guarantor_affiliate or holder.is_trustee_affiliate:
                self.excluded.append(holder.amount)
            write_holder(holder)

    def _totals(self):
        count, record = ctypes.c_int64(), ctypes.c_int64()
        total, excluded = ctypes.create_string_buffer(48), ctypes.create_string_buffer(48)
        scales = (ctypes.c_int * 2)()
        self.library.fr_totals(
            self.handle, ctypes.byref(count), total, excluded, scales, ctypes.byref(record)
        )
        return count.value, int(total.value), int(excluded.value), tuple(scales), record.value

    def _result(self) -> Scanned:
        count, total_cents, excluded_cents, (scale, excluded_scale), _ = self._totals()
        with localcontext(prec=60):
            # The reference sums Decimals from Decimal(0): the sum has the most decimals any
            # amount was written with, which the scanner counted.
            total = _cents(total_cents, scale) + self.validator.total
            excluded = _cents(excluded_cents, excluded_scale) + sum(self.excluded, Decimal(0))
        if not count + self.validator.count:
            raise Doubt("no holder was read")
        return Scanned(
            count=count + self.validator.count,
            total=total,
            excluded=excluded,
            compiled_rows=count,
            reference_rows=self.reference_rows,
        )


def _cents(cents: int, scale: int) -> Decimal:
    return (Decimal(cents).scaleb(-2)).quantize(Decimal(1).scaleb(-scale))
