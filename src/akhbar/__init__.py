"""akhbar (أخبار): Arabic news from many outlets, read, cleaned, normalised and stored.

>>> import akhbar
>>> settings = akhbar.Settings.load()
>>> with akhbar.SqliteStore("news.db", settings.store) as store:
...     report = akhbar.Ingestor(store, settings).ingest(akhbar.read(["samples"], settings.read))
"""

from akhbar.dedup import CopyDetector, CopyMatch, MinHasher, PassagePair, Sketch, shared_passages
from akhbar.errors import (
    AkhbarError,
    ConfigError,
    InputError,
    NotFoundError,
    RecordError,
    StoreError,
    UnsupportedInputError,
)
from akhbar.evaluate import ClusterScores, score_clustering
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
from akhbar.settings import (
    CleanSettings,
    CopySettings,
    ReadSettings,
    Settings,
    StoreSettings,
    TrackingSettings,
)
from akhbar.store import SearchHit, SqliteStore, StoredArticle
from akhbar.store.sqlite import StoredAssignment, StorySummary
from akhbar.stories import StoryClusterer, StoryDoc, StoryParams, story_doc
from akhbar.text import Token, normalize, tokenize
from akhbar.text.clean import BoilerplateDetector, clean
from akhbar.tracking import Tracker, TrackReport

__version__ = "0.1.0"

__all__ = [
    "AkhbarError",
    "Block",
    "BoilerplateDetector",
    "CleanArticle",
    "CleanSettings",
    "ClusterScores",
    "ConfigError",
    "CopyDetector",
    "CopyMatch",
    "CopySettings",
    "Edit",
    "IngestReport",
    "Ingestor",
    "InputError",
    "MinHasher",
    "NotFoundError",
    "Origin",
    "PassagePair",
    "RawArticle",
    "ReadSettings",
    "RecordError",
    "Removal",
    "SearchHit",
    "Settings",
    "Sketch",
    "Skipped",
    "SqliteStore",
    "StoreError",
    "StoreSettings",
    "StoredArticle",
    "StoredAssignment",
    "StoryClusterer",
    "StoryDoc",
    "StoryParams",
    "StorySummary",
    "Token",
    "TrackReport",
    "Tracker",
    "TrackingSettings",
    "UnsupportedInputError",
    "__version__",
    "clean",
    "make_article_id",
    "normalize",
    "read",
    "score_clustering",
    "shared_passages",
    "story_doc",
    "tokenize",
]
