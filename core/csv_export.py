"""CSV files that are safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ as a formula, also
after a leading tab or carriage return: a name typed as =HYPERLINK("http://...?"&A1) would
run on the coach's or administrator's computer. Every export writes through `writer()`, which
puts a single quote before such text (the spreadsheet then shows it as text). Numbers are
left alone, so a negative number stays a number.
"""

from __future__ import annotations

import csv

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text that a spreadsheet would run, quoted; anything else unchanged."""
    if isinstance(value, Promise):  # lazily translated text
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through csv_safe."""

    def __init__(self, file, **options):
        self._writer = csv.writer(file, **options)

    def writerow(self, row):
        return self._writer.writerow([csv_safe(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(file, **options) -> SafeWriter:
    return SafeWriter(file, **options)
