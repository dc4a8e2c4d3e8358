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
# learners, the attacker's solver on a demo's federal bundle), and SQLITE are
# those whose tests spend their time inside the embedded SQLite, a pure-Go
# engine that the race detector instruments line by line (the store's tests:
# 305 s under -race, 37 s without). Their tests drive one request or one
# statement at a time, where the detector, which sees only races that happen,
# has nothing to find; they run without it. The program's concurrent paths
# (the server's middleware, the routing caches, the monitor, jobs, the
# store's pools) are raced in their own packages and under the load and
# shutdown tests below, which run every page and API call from 16 clients at
# once.
WHOLE     := ./cmd/marshrut ./internal/demo ./internal/rollup
SQLITE    := ./internal/store ./internal/routing ./internal/server ./internal/api ./internal/report ./internal/imports
NORACE    := $(WHOLE) $(SQLITE)

## test: every test; store tests also run on PostgreSQL when MARSHRUT_TEST_POSTGRES_DSN is set
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 20m $$($(GO) list ./... | grep -v $(patsubst ./%,-e '/%$$',$(NORACE)))
	$(GO) test -count=1 -timeout 20m $(NORACE)
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
