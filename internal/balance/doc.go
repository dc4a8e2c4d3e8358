// Package balance is the region's workforce balance: how many graduates of
// each group of specialties (УГС, at the level of СПО or ВО) the economy
// will need in each of the next seven years, how many the colleges and
// universities will graduate, the gap between the two, and how many to admit
// (контрольные цифры приёма) to close it within the organisations' capacity.
//
// Demand has three parts, shown apart and summed:
//   - the flow of vacancies open to graduates: the work places of the
//     vacancies published each month that ask for professional education
//     and no experience (those asking for experience go to people who
//     already work, and moving between jobs makes no new need of
//     training), each vacancy counted once,
//     in the group of its strongest link, forecast month by month with the
//     combination of engine/ts and summed to calendar years; its accuracy on
//     the region's own history (rolling origins, twelve months ahead) is shown
//     beside it;
//   - the needs employers declare for one, three, five and seven years
//     ahead, for new jobs, interpolated between the years they name;
//   - the replacement of workers reaching pension age, from the imported age
//     structure of employment: those of 60 and older leave over the next
//     three years, those of 55–59 over years four to eight.
//
// Supply is the graduates projected from the students of each course of each
// organisation and specialty, with the rates of passing from course to course
// and of graduating estimated from the data (the cohort-survival method:
// the ratio of a course to the one below it, and of last years' graduates to
// the final course), and from future admissions — the plan of each
// organisation or, failing one, this year's first course. Students under
// targeted-education contracts are shown as the part of the supply already
// promised to employers.
//
// The package holds the arithmetic (Compute on an Input, no I/O), the rules
// of who may see and change what (Service), and the scenarios: changes of
// admissions and added needs with the balance recomputed.
package balance
