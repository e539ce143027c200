//! Integration tests of trainpack, one module per feature, over the small
//! fixture packs in `tests/fixtures/ok` and `tests/fixtures/bad`.

mod build;
mod check;
mod common;
mod doc;
mod fuzz;
mod init;
mod languages;
mod model;
mod pdf;
mod presenter;
mod print;
mod robust;
mod scripts;
mod serve;
mod site;
mod snapshots;
