//! The web console (`erp-host serve`) as a browser sees it: the real
//! binary serving a real SQLite file on a loopback port, asked over HTTP
//! (`http`) and driven in headless Chromium (`browser`).

#![cfg(unix)]

mod admin;
mod browser;
mod chromium;
mod companies;
mod http;
mod ledger;
mod support;
mod toolbar;
mod views;
mod wire;
