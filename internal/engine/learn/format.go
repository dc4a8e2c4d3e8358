package learn

import (
	"encoding/json"
	"fmt"

	"marshrut/internal/engine/fault"
)

// FormatName marks a model document of this package.
const FormatName = "marshrut.learn.model"

// FormatVersion is the version of the model document that this code writes
// and reads. Change it whenever the meaning of a stored field changes: a
// model of another version is refused rather than misread.
const FormatVersion = 1

// document is a stored model: a header, then the parameters of its kind.
type document struct {
	Format   string          `json:"format"`
	Version  int             `json:"version"`
	Kind     Kind            `json:"kind"`
	Logistic *logisticParams `json:"logreg,omitempty"`
	GBT      *gbtParams      `json:"gbt,omitempty"`
}

// Marshal writes a model as a JSON document with its format version.
// Floating-point numbers are written so that they read back exactly.
func Marshal(m Model) ([]byte, error) {
	d := document{Format: FormatName, Version: FormatVersion, Kind: m.Kind()}
	switch m := m.(type) {
	case *Logistic:
		d.Logistic = &m.m
	case *GBT:
		d.GBT = &m.m
	default:
		return nil, fmt.Errorf("learn: cannot marshal a model of type %T", m)
	}
	return json.Marshal(d)
}

// Unmarshal reads a model that Marshal wrote. It refuses a document of
// another format version, or one that is not a model, with a Russian message.
func Unmarshal(b []byte) (Model, error) {
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil || head.Format != FormatName {
		return nil, fault.Wrap(err, "файл не является моделью прогноза Маршрута")
	}
	if head.Version != FormatVersion {
		return nil, fault.New("модель записана в формате версии %d, а эта версия программы читает только формат версии %d: обучите модель заново", head.Version, FormatVersion)
	}
	var d document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fault.Wrap(err, "файл модели повреждён")
	}
	switch {
	case d.Kind == KindLogistic && d.Logistic != nil:
		if err := d.Logistic.valid(); err != nil {
			return nil, err
		}
		return &Logistic{m: *d.Logistic}, nil
	case d.Kind == KindGBT && d.GBT != nil:
		if err := d.GBT.valid(); err != nil {
			return nil, err
		}
		return &GBT{m: *d.GBT}, nil
	}
	return nil, fault.New("в файле модели неизвестный вид модели %q", d.Kind)
}

func damaged(what string) error {
	return fault.New("файл модели повреждён: %s", what)
}

func (m *logisticParams) valid() error {
	p := len(m.Names)
	for _, s := range [][]float64{m.Mean, m.Scale, m.Coef, m.MissMean, m.MissScale, m.MissCoef} {
		if len(s) != p {
			return damaged("длины массивов не совпадают с числом признаков")
		}
	}
	if p == 0 {
		return damaged("нет признаков")
	}
	for j := range p {
		if !(m.Scale[j] > 0 && m.MissScale[j] > 0) {
			return damaged("масштаб признака не положителен")
		}
	}
	return nil
}

func (m *gbtParams) valid() error {
	p := len(m.Names)
	if p == 0 {
		return damaged("нет признаков")
	}
	for ti, t := range m.Trees {
		if len(t) == 0 {
			return damaged(fmt.Sprintf("дерево %d пустое", ti+1))
		}
		// Children come after their parent, so walks end and stay in bounds.
		for k, n := range t {
			if n.Feature < 0 {
				continue
			}
			if n.Feature >= p || n.Left <= k || n.Right <= k || n.Left >= len(t) || n.Right >= len(t) || n.Cover <= 0 {
				return damaged(fmt.Sprintf("дерево %d, узел %d", ti+1, k+1))
			}
		}
	}
	return nil
}
