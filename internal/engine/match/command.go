package match

import (
	"context"
	"fmt"
	"io"
	"time"
)

// Command is `marshrut match --instance DIR [--mode stable|optimal]`: it
// reads the instance in dir, runs it in the given mode ("" is stable) with
// the seed, and writes the Summary line to w. The seconds are those of the
// run, not of reading the files, as the peers in match_instance.py count them.
func Command(ctx context.Context, w io.Writer, dir, mode string, seed uint64) error {
	md, err := ParseMode(mode)
	if err != nil {
		return err
	}
	in, err := ReadInstance(dir)
	if err != nil {
		return err
	}
	t := time.Now()
	r, err := Run(ctx, in, Options{Mode: md, Seed: seed})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, Summary(r, time.Since(t).Seconds()))
	return err
}
