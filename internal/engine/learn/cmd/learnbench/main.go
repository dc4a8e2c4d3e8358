// Command learnbench runs the UCI dropout benchmark of package learn, for
// comparing with the scikit-learn peer (/work/shared/peers/dropout_sklearn.py):
//
//	go run ./internal/engine/learn/cmd/learnbench -uci /work/shared/data/dropout/data.csv
//
// The flags other than -uci change the settings of the trees; zero keeps the default.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"marshrut/internal/engine/learn"
)

func main() {
	path := flag.String("uci", "/work/shared/data/dropout/data.csv", "the UCI dropout data, data.csv")
	var o learn.Options
	o.Seed = 42
	flag.IntVar(&o.GBT.Trees, "trees", 0, "most trees")
	flag.Float64Var(&o.GBT.LearningRate, "lr", 0, "learning rate")
	flag.IntVar(&o.GBT.MaxLeaves, "leaves", 0, "leaves per tree")
	flag.IntVar(&o.GBT.MaxDepth, "depth", 0, "depth limit, negative for none")
	flag.IntVar(&o.GBT.MinLeaf, "minleaf", 0, "fewest rows in a leaf")
	flag.Float64Var(&o.GBT.L2, "l2", 0, "L2 on leaf values, negative for none")
	flag.Float64Var(&o.GBT.ColSample, "colsample", 0, "share of features per tree")
	stop := flag.String("stop", "auto", "early stopping: auto, on, off")
	flag.IntVar(&o.GBT.Patience, "patience", 0, "early stopping patience")
	flag.Float64Var(&o.Logistic.Lambda, "lambda", 0, "L2 penalty of the logistic regression")
	flag.Parse()
	switch *stop {
	case "on":
		o.GBT.Stopping = learn.StopOn
	case "off":
		o.GBT.Stopping = learn.StopOff
	}
	if err := learn.BenchWith(context.Background(), *path, os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
