# Sportello: see README.md.
GO        ?= go
BIN       := bin/sportello
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export CGO_ENABLED ?= 0

FUZZTIME  ?= 60s
# FUZZMIN bounds the minimising of a new input: a short CI run would otherwise
# end inside it, and Go reports that as a failure ("context deadline exceeded").
FUZZMIN   ?= 10s

.PHONY: run build test test-short lint bench fuzz clean e2e-deps

## run: the whole platform on its embedded default, with demo data, on http://localhost:8080
run: build
	./$(BIN) dev

## build: the single binary, in bin/
build:
	$(GO) build -o $(BIN) ./cmd/sportello

## test: every test, as CI runs them. scripts/testenv sets up first: as root it installs the missing
## Debian packages (postgresql, chromium, libxml2-utils, nodejs, npm); without TEST_POSTGRES_DSN it
## starts a throwaway PostgreSQL cluster in a temporary folder; it runs npm ci for the browser tests
test:
	./scripts/testenv $(GO) test -count=1 -timeout 25m ./...

## test-short: the fast tests only (no real Temporal server, no browser)
test-short:
	$(GO) test -short ./...

## lint: go vet and staticcheck at a pinned version
lint:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...

## bench: benchmarks, each printing its ratio to a baseline measured in the same run
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./...

## fuzz: every Go fuzz target for FUZZTIME each (make test already runs their seed corpora);
## a crash is saved under the package's testdata/fuzz and stays as a regression test
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' . | grep -v node_modules | sort); do \
	  d=$$(dirname $$f); for t in $$(grep -o '^func Fuzz[A-Za-z0-9_]*' $$f | cut -d' ' -f2); do \
	    echo "fuzz: $$d $$t for $(FUZZTIME)"; \
	    $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMIN) $$d; \
	  done; done

## e2e-deps: the browser test's Node packages (playwright-core drives Debian's chromium)
e2e-deps:
	@if [ -f ui/e2e/package.json ]; then cd ui/e2e && npm ci --no-audit --no-fund --silent; fi

clean:
	rm -rf bin data

## ui: rebuild the portal's vendored assets (Bootstrap Italia CSS, Titillium Web, icons) into
## ui/static/vendor from the pinned packages of ui/build; the output is committed, so run needs only Go
.PHONY: ui
ui:
	cd ui/build && npm ci --no-audit --no-fund --silent && node build.mjs

## perf: the performance table (README "Performance"): every row next to its baseline measured in
## the same run, printed and written to bench/perf/last.json (compared with the previous one);
## on TEST_POSTGRES_DSN, or a throwaway PostgreSQL cluster when it is not set. PERF_ONLY=part,part runs some rows
PERF_ONLY ?=
.PHONY: perf
perf:
	./scripts/testenv --postgres-only $(GO) run ./bench/perf/cmd -out bench/perf/last.json -only '$(PERF_ONLY)'
