//go:build !race

package rollup

// RaceOn tells that the race detector is on.
const RaceOn = false
