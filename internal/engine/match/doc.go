// Package match is the matching engine: it routes graduates to vacancies.
// Each graduate wants one job, each vacancy has a number of work places, and
// an edge between a graduate and a vacancy carries two scores, 0..1000: the
// graduate's utility (how much the graduate wants the job) and the
// employer's score (how much the employer wants the graduate).
//
// Target contracts (целевые договоры) are placed first. The market then runs
// in one of two modes: Stable, deferred acceptance proposed by graduates, with
// no blocking pair; or Optimal, the largest sum of both scores. Ties are
// broken by a lottery drawn from the run's seed and kept in the result, so a
// run can be repeated exactly.
//
// Defer runs the stable mode over lists the caller produces on demand
// (Lists), so that a graduate's list of every compatible vacancy costs only
// the part proposed to, with the same result as over the complete lists;
// lists that know each vacancy's bar (Skipping) pass by the vacancies that
// would refuse, so a graduate every place ranks low costs no proposals;
// MostPlaced is the most graduates any matching could place (a maximum flow
// over groups of graduates alike in what they can take, through hubs they
// share); the optimal mode's
// result carries the dual prices that prove it optimal.
//
// The package is pure: no storage, no HTTP. An instance comes from a Builder
// filled by the application or from ReadInstance on a directory of CSV files;
// Run matches it. It is made for regional sizes and beyond: 200 000
// graduates, 60 000 vacancies and 6 000 000 edges run in a few seconds and a
// few hundred megabytes.
package match
