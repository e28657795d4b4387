# Sportello: see README.md.
GO        ?= go
BIN       := bin/sportello
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export CGO_ENABLED ?= 0

.PHONY: run build test test-short lint bench clean e2e-deps

## run: the whole platform on its embedded default, with demo data, on http://localhost:8080
run: build
	./$(BIN) dev

## build: the single binary, in bin/
build:
	$(GO) build -o $(BIN) ./cmd/sportello

## test: every test, store tests on SQLite and, when TEST_POSTGRES_DSN is set, on PostgreSQL
test: e2e-deps
	$(GO) test -count=1 -timeout 25m ./...

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

## e2e-deps: the browser test's Node packages (playwright-core drives Debian's chromium)
e2e-deps:
	@if [ -f ui/e2e/package.json ]; then cd ui/e2e && npm ci --no-audit --no-fund --silent; fi

clean:
	rm -rf bin data
