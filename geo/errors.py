"""The one error type every data problem is reported with."""

from __future__ import annotations


class DataError(Exception):
    """A data file is missing, malformed or inconsistent.

    The message always names the file, and where it can, the row and column, and
    says what to do, so an officer dropping in a new file can fix it.

    Parameters
    ----------
    file : str
        Path of the offending file, relative to the data folder where possible.
    problem : str
        What is wrong, in plain words.
    row : int or None
        1-based data row (header excluded) where the problem was found.
    column : str or None
        Column where the problem was found.
    """

    def __init__(
        self, file: str, problem: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.row = row
        self.column = column
        where = [f"file {self.file}"]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {problem}")
