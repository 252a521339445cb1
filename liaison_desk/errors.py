"""One typed error for bad input, so the CLI can answer exit 2 and the GUI a message."""


class BadInput(Exception):
    """Input the clerk can fix: says what is wrong and where, in Chinese.

    Raised before anything is written (or inside a transaction that is then rolled back),
    so the data stay as they were.
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
