//! Output: the row types of every table ([`schema`]) and the CSV writer ([`csv`]).

pub mod csv;
pub mod schema;
