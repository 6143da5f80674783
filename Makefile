# One task runner for people and CI.
.PHONY: install test lint format bench build clean

install:
	python3 -m pip install -e ".[test,dask]"

test:
	python3 -m pytest -q

lint:
	ruff check pipeline tests benchmarks

format:
	ruff format pipeline tests benchmarks

bench:
	python3 benchmarks/convert_bench.py
	python3 benchmarks/validate_bench.py
	python3 benchmarks/render_bench.py
	python3 benchmarks/build_bench.py

build:
	edition build

clean:
	rm -rf output/tei output/html output/text output/invalid output/.build output/report.* output/.manifest.json
