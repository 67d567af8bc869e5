# akhbar: every target sets up its own virtual environment with pinned dependencies.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
DEMO_DB ?= build/demo.db

.PHONY: demo test lint typecheck unit lock examples bench-ingest bench-dedup bench-stream \
	bench-extract bench-ner bench-digest bench-load clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## demo: set up, ingest the bundled samples into a fresh SQLite store, print what cleaning did,
##       the stories and the copies found
demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/akhbar ingest samples --db $(DEMO_DB) || [ $$? -eq 1 ]
	$(BIN)/akhbar show --all --db $(DEMO_DB)
	$(BIN)/akhbar search "فى وزارة" --db $(DEMO_DB)
	$(BIN)/akhbar stories --db $(DEMO_DB)
	$(BIN)/akhbar copies --db $(DEMO_DB)
	$(BIN)/akhbar entities --db $(DEMO_DB) --limit 15
	$(BIN)/akhbar quotes --db $(DEMO_DB)
	$(BIN)/akhbar digest story-sample-feed-001 --db $(DEMO_DB)

## test: set up, then lint, type-check and run the whole test suite
test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

## lock: refresh constraints.txt from the current environment
lock: $(STAMP)
	( echo "# Exact versions of every dependency (direct and transitive) used by make demo / make test / CI."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable ) > constraints.txt

## bench-ingest: ingest all of SaudiNewsNet (read from ../shared) and print speed and memory
bench-ingest: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

## bench-dedup / bench-stream: copy detection vs datasketch; streaming ingest + clustering
bench-dedup: $(STAMP)
	$(BIN)/python benchmarks/dedup.py

bench-stream: $(STAMP)
	$(BIN)/python benchmarks/stream.py

## examples: the digests of the seeds' story (from ../shared/seeds) and of the bundled sample
##           stories, as Markdown and HTML, into docs/examples/
EXAMPLES_DB := build/examples.db
examples: $(STAMP)
	rm -f $(EXAMPLES_DB) $(EXAMPLES_DB)-wal $(EXAMPLES_DB)-shm
	rm -rf docs/examples && mkdir -p docs/examples
	$(BIN)/akhbar ingest ../shared/seeds/000_*.txt ../shared/seeds/001_*.txt samples \
		--db $(EXAMPLES_DB) > /dev/null
	$(BIN)/akhbar digest --all --format md --out docs/examples --db $(EXAMPLES_DB)
	$(BIN)/akhbar digest --all --format html --out docs/examples --db $(EXAMPLES_DB)

## bench-extract / bench-ner / bench-digest / bench-load: extraction speed over SaudiNewsNet;
##     NER tagging speed; digest of 20-article stories; HTTP latency under 20 clients
bench-extract: $(STAMP)
	$(BIN)/python benchmarks/extract.py

bench-ner: $(STAMP)
	$(BIN)/python benchmarks/ner.py

bench-digest: $(STAMP)
	$(BIN)/python benchmarks/digest.py

bench-load: $(STAMP)
	$(BIN)/python benchmarks/load.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
