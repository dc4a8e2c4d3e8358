package main

import (
	"os"
	"time"

	"marshrut/internal/config"
)

// The tests of the program live on one day, so that no answer depends on the
// day they run: the demo region is generated as of it and the servers run
// on a clock that starts on it. MARSHRUT_TEST_TODAY (ГГГГ-ММ-ДД) moves the
// whole suite to another day, to try it on a boundary of the school year.
var (
	testDayArg = testDayOf(os.Getenv("MARSHRUT_TEST_TODAY"))
	testClock  = testClockOf(testDayArg)
)

// defaultTestDay is a Monday of the second term, with every part of the
// demo region in season.
const defaultTestDay = "2026-12-07"

func testDayOf(env string) string {
	if env == "" {
		return defaultTestDay
	}
	if _, err := time.Parse(time.DateOnly, env); err != nil {
		panic("MARSHRUT_TEST_TODAY: " + err.Error())
	}
	return env
}

// testClockOf is the clock of the tests: ten in the morning of day in the
// region's time zone, running on from there.
func testClockOf(day string) func() time.Time {
	cfg := config.Default()
	d, err := config.ParseDay(day, cfg.Location())
	if err != nil {
		panic(err)
	}
	return config.StartingAt(d.Add(10 * time.Hour))
}

// testConfig is the default configuration on the tests' clock.
func testConfig() config.Config {
	cfg := config.Default()
	cfg.Clock = testClock
	return cfg
}
