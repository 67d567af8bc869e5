"""akhbar (أخبار): Arabic news from many outlets, read, cleaned, normalised and stored.

>>> import akhbar
>>> settings = akhbar.Settings.load()
>>> with akhbar.SqliteStore("news.db", settings.store) as store:
...     report = akhbar.Ingestor(store, settings).ingest(akhbar.read(["samples"], settings.read))
"""

from akhbar.errors import (
    AkhbarError,
    ConfigError,
    InputError,
    NotFoundError,
    RecordError,
    StoreError,
    UnsupportedInputError,
)
from akhbar.io import read
from akhbar.model import (
    Block,
    CleanArticle,
    Edit,
    Origin,
    RawArticle,
    Removal,
    Skipped,
    make_article_id,
)
from akhbar.pipeline import Ingestor, IngestReport
from akhbar.settings import CleanSettings, ReadSettings, Settings, StoreSettings
from akhbar.store import SearchHit, SqliteStore, StoredArticle
from akhbar.text import Token, normalize, tokenize
from akhbar.text.clean import BoilerplateDetector, clean

__version__ = "0.1.0"

__all__ = [
    "AkhbarError",
    "Block",
    "BoilerplateDetector",
    "CleanArticle",
    "CleanSettings",
    "ConfigError",
    "Edit",
    "IngestReport",
    "Ingestor",
    "InputError",
    "NotFoundError",
    "Origin",
    "RawArticle",
    "ReadSettings",
    "RecordError",
    "Removal",
    "SearchHit",
    "Settings",
    "Skipped",
    "SqliteStore",
    "StoreError",
    "StoreSettings",
    "StoredArticle",
    "Token",
    "UnsupportedInputError",
    "__version__",
    "clean",
    "make_article_id",
    "normalize",
    "read",
    "tokenize",
]
