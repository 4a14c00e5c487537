//! Reading students from CSV files: the header mapped to the rules' fields
//! and skills, every row parsed into numbers and scores, every bad cell an
//! error with its place.

pub mod columns;
pub mod reader;
pub mod score;

pub use columns::{ColumnMap, Skills};
pub use reader::{CsvFile, Input, Row};
