#!/usr/bin/env bash
# Re-creates the search / query examples of docs/corpus.md: builds a corpus from the dev plan
# texts (../shared/dev/plans, not part of the repository) and runs each example command.
#   bash scripts/corpus_examples.sh [WORKDIR]      (default /tmp/vanban-corpus-examples)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/vanban-corpus-examples}"
VANBAN="$ROOT/.venv/bin/vanban"
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
ln -s "$ROOT/../shared" shared
run() { echo "$ vanban $(printf "%q " "$@")"; COLUMNS=110 "$VANBAN" "$@" 2>&1 || echo "(exit $?)"; echo; }
run batch shared/dev/plans --db corpus.db --jobs 2
run search "chuyen doi so" --db corpus.db -n 4
run search bi mat nha nuoc --kind task --db corpus.db -n 3
run search dich benh --documents --db corpus.db -n 3
run search '"phong, chong dich benh" OR "dich benh truyen nhiem"' --db corpus.db -n 3 --format json
run query --db corpus.db
run query --db corpus.db --kind task --agency "Sở Tài chính"
run query --db corpus.db --kind target --year 2030 --province "dong thap" --format csv -n 4
run query --db corpus.db --cites 27/CT-TTg --format json
run export --db corpus.db --format csv --kind reference -o references.csv
head -3 references.csv
