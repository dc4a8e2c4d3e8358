package classifier

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
)

// The tables below are copied from public sources named in data/README.md.
//
//go:embed data/*.csv
var dataFS embed.FS

// Builtin is the content of the classifiers shipped with the binary.
type Builtin struct {
	Regions     []Region
	Specialties []Specialty
	Activities  []Activity
}

// LoadBuiltin parses the embedded classifier tables.
func LoadBuiltin() (*Builtin, error) {
	var b Builtin
	err := readCSV("data/regions_rf.csv", func(r []string) error {
		b.Regions = append(b.Regions, Region{Code: r[0], KladrCode: r[1], Name: displayRegionName(r[2]), Federal: r[3] == "true"})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV("data/okso_vo.csv", func(r []string) error {
		if r[2] == "УГС" {
			return nil
		}
		b.Specialties = append(b.Specialties, Specialty{Code: r[0], Name: r[1], Level: LevelOfCode(r[0]), GroupCode: r[3], GroupName: sentenceCase(r[4])})
		return nil
	})
	if err != nil {
		return nil, err
	}
	spo := func(r []string) error {
		b.Specialties = append(b.Specialties, Specialty{Code: r[0], Name: r[1], Level: LevelOfCode(r[0]), GroupCode: r[3], GroupName: r[4]})
		return nil
	}
	if err := readCSV("data/okso_spo.csv", spo); err != nil {
		return nil, err
	}
	if _, err := fs.Stat(dataFS, "data/okso_spo_extra.csv"); err == nil {
		if err := readCSV("data/okso_spo_extra.csv", spo); err != nil {
			return nil, err
		}
	}
	err = readCSV("data/okved2.csv", func(r []string) error {
		b.Activities = append(b.Activities, Activity{Section: r[0], Code: r[1], Level: r[2], Name: r[3]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(b.Specialties))
	for _, s := range b.Specialties {
		if s.Level == "" {
			return nil, fmt.Errorf("classifier: specialty %s has a code of no known level", s.Code)
		}
		if seen[s.Code] {
			return nil, fmt.Errorf("classifier: specialty %s listed twice", s.Code)
		}
		seen[s.Code] = true
	}
	sort.Slice(b.Specialties, func(i, j int) bool { return b.Specialties[i].Code < b.Specialties[j].Code })
	return &b, nil
}

func readCSV(name string, row func([]string) error) error {
	f, err := dataFS.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	if _, err := r.Read(); err != nil { // header
		return fmt.Errorf("classifier %s: %w", name, err)
	}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("classifier %s: %w", name, err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if err := row(rec); err != nil {
			return fmt.Errorf("classifier %s line %d: %w", name, line, err)
		}
	}
}

// sentenceCase turns «МАТЕМАТИКА И МЕХАНИКА» into «Математика и механика».
func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// displayRegionName mends the one spelling of the «Работа России» list that reads
// badly on a page («Саха /Якутия/ республика»); the rest are kept as in the source,
// which import also matches names against.
func displayRegionName(s string) string {
	return strings.NewReplacer(" /", " (", "/ ", ") ").Replace(s)
}
