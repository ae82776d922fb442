//! Output: the row types of every table ([`schema`]), the CSV writer ([`csv`]), spreadsheet-safe cells
//! ([`cells`]) and numbers written without serde ([`number`]).

pub mod cells;
pub mod columns;
pub mod csv;
pub mod number;
pub mod schema;
