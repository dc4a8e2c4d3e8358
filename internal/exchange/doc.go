// Package exchange reads and writes the tables people bring to Marshrut and
// take away from it: CSV in UTF-8 or Windows-1251 with «;», «,» or tab, and
// XLSX workbooks.
//
// Reading streams: Open detects the format by content, finds the header row
// and hands out one Row at a time, so a file of a million rows is read in flat
// memory. Recognise matches the header against a list of Fields by normalised
// text («Дата рожд.», «дата_рождения» and «ДАТА РОЖДЕНИЯ» are one column) and
// gives a Mapping that the person can correct before the import runs.
//
// Writing streams too: NewXLSX and NewCSV take typed values row by row and
// write numbers as numbers, dates as dates, and text that could start a
// formula as harmless text.
//
// The package knows nothing of the domain, the database or HTTP: it turns
// bytes into strings and values into bytes; the importers decide what the
// strings mean.
package exchange
