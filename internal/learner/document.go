package learner

import "time"

// Document is a document of education a graduate received, as the federal
// registry (ФИС ФРДО) holds it: the file an organisation fills for the
// registry tells who graduated, when and in what.
type Document struct {
	LearnerID      int64
	OrgID          int64
	Series, Number string
	Issued         time.Time
	RegNumber      string
	Name           string // «Диплом о среднем профессиональном образовании»
	SpecialtyCode  string
	Qualification  string
	GraduationYear int
}
