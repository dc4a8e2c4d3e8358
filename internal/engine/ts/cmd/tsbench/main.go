// Command tsbench runs the forecasting engine on the M3 yearly series in the
// protocol of the R peer (/work/shared/peers/m3_forecast.R) and prints one
// line per method, for setting beside the peer's figures:
//
//	go run ./internal/engine/ts/cmd/tsbench [-methods theta,ets,comb] [FILE]
//
// FILE is M3_yearly_TSTS.csv (or its .gz), by default the shared copy.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"marshrut/internal/engine/fault"
	"marshrut/internal/engine/ts"
)

func main() {
	list := flag.String("methods", "", "методы через запятую; по умолчанию все")
	flag.Parse()
	path := "/work/shared/data/forecast/M3_yearly_TSTS.csv"
	if flag.NArg() > 0 {
		path = flag.Arg(0)
	}
	methods := ts.Methods()
	if *list != "" {
		methods = nil
		for _, s := range strings.Split(*list, ",") {
			m, err := ts.ParseMethod(s)
			if err != nil {
				fmt.Fprintln(os.Stderr, fault.Message(err))
				os.Exit(2)
			}
			methods = append(methods, m)
		}
	}
	if err := ts.BenchWith(context.Background(), path, os.Stdout, methods); err != nil {
		fmt.Fprintln(os.Stderr, fault.Message(err))
		os.Exit(1)
	}
}
