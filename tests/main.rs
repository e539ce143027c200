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
mod deck_pdf;
mod pdf;
mod presenter;
mod robust;
mod scripts;
mod serve;
mod slides;
mod site;
mod snapshots;
