//! Integration tests of trainpack, one module per feature, over the small
//! fixture packs in `tests/fixtures/ok` and `tests/fixtures/bad`.

mod anchors;
mod build;
mod bundle;
mod check;
mod common;
mod deck_pdf;
mod doc;
mod fuzz;
mod guide_pdf;
mod init;
mod kit;
mod languages;
mod model;
mod office;
mod pandoc;
mod pdf;
mod presenter;
mod print;
mod robust;
mod schedule;
mod scripts;
mod serve;
mod site;
mod slide_text;
mod slides;
mod snapshots;
