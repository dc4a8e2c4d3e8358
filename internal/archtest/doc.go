// Package archtest holds the architecture test: the rules of ARCHITECTURE.md
// about which package may import which, checked against the imports that
// `go list` reports, so that the written map and the code cannot drift apart.
package archtest
