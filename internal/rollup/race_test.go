//go:build race

package rollup

// RaceOn tells that the race detector is on: it slows the demo's
// generation (its model training and matching) a hundredfold and the
// attacker's simplex tenfold, so make test runs fewer random regions and
// leaves the demo to the run without it.
const RaceOn = true
