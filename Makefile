# Marshrut: the commands a person runs.
GO        ?= go
BIN       := bin/marshrut
VERSION   := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X main.version=$(VERSION)

.PHONY: run build test test-short bench fuzz lint clean

## run: build and start the demo region on embedded SQLite (marshrut.db)
run: build
	./$(BIN) demo

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/marshrut

# WHOLE are the packages whose tests run the whole program or a whole demo
# region (every page for every role in a browser, the region of 57 000
# learners, the attacker's solver on a demo's federal bundle): one goroutine
# generating and rendering, where the race detector costs 5-30 times the
# time and finds nothing the package tests do not. They run without it; the
# program's concurrent paths (server, monitor, jobs, store pools) are raced
# in their own packages and under the load and shutdown tests below.
WHOLE     := ./cmd/marshrut ./internal/demo ./internal/rollup

## test: every test; store tests also run on PostgreSQL when MARSHRUT_TEST_POSTGRES_DSN is set
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 25m $$($(GO) list ./... | grep -v -e '/cmd/marshrut$$' -e '/internal/demo$$' -e '/internal/rollup$$')
	$(GO) test -count=1 -timeout 20m $(WHOLE)
	$(GO) test -race -count=1 -timeout 10m -run 'TestLoadMixWithoutErrors|TestServeShutsDown' ./cmd/marshrut

## bench: the benchmarks whose figures are in BENCHMARKS.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x ./...

## fuzz: every fuzz target for FUZZTIME each, one after another (their seeds run in make test)
FUZZTIME ?= 45s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

## lint: formatting, vet and staticcheck
lint:
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

clean:
	rm -rf bin marshrut.db marshrut.db-wal marshrut.db-shm
