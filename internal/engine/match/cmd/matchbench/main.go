// Command matchbench runs the matching engine on an instance directory written
// by match_instance.py and prints one line per mode in the peers' layout, for
// scripts/bench-match.sh to set beside theirs.
//
//	go run ./internal/engine/match/cmd/matchbench [-modes stable,optimal] [-seed 1] DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"marshrut/internal/engine/fault"
	"marshrut/internal/engine/match"
)

func main() {
	modes := flag.String("modes", "stable,optimal", "режимы через запятую")
	seed := flag.Uint64("seed", 1, "зерно жеребьёвки")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "использование: matchbench [-modes stable,optimal] [-seed N] КАТАЛОГ")
		os.Exit(2)
	}
	t := time.Now()
	in, err := match.ReadInstance(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, fault.Message(err))
		os.Exit(1)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%-22s graduates=%d vacancies=%d seats=%d edges=%d seconds=%.2f heap=%dMB\n", "go-read-instance",
		in.NumGraduates(), in.NumVacancies(), in.Seats(), in.NumEdges(), time.Since(t).Seconds(), ms.HeapAlloc>>20)
	var results = map[match.Mode]match.Result{}
	for _, s := range strings.Split(*modes, ",") {
		mode, err := match.ParseMode(s)
		if err != nil {
			fmt.Fprintln(os.Stderr, fault.Message(err))
			os.Exit(2)
		}
		t := time.Now()
		r, err := match.Run(context.Background(), in, match.Options{Mode: mode, Seed: *seed})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		secs := time.Since(t).Seconds()
		results[mode] = r
		fmt.Printf("%-22s %s first_choice=%.3f\n", "go-"+string(mode), match.Summary(r, secs), r.FirstChoiceShare)
	}
	o, ok1 := results[match.Optimal]
	s, ok2 := results[match.Stable]
	if ok1 && ok2 {
		fmt.Printf("%-22s %.4f\n", "price-of-stability", match.PriceOfStability(o, s))
	}
}
