"""Read a plain-text SEC EDGAR exhibit (guarantee agreement, indenture, trust agreement...) and
propose its data, each value cited to the section and the sentence it was read from.

Pure Python, no Django: the management command `read_agreement` and the tests call
`read_exhibit(text)` or `read_file(path)`; nothing here saves anything.
"""

from trustee.exhibits.reader import MAX_BYTES, ReadError, read_exhibit, read_file

__all__ = ["MAX_BYTES", "ReadError", "read_exhibit", "read_file"]
