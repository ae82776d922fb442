//! Output: the row types of every table ([`schema`]), the CSV writer ([`csv`]) and spreadsheet-safe cells
//! ([`cells`]).

pub mod cells;
pub mod csv;
pub mod schema;
