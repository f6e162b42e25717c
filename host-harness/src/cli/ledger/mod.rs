//! The GL side of the CLI: AR transactions, GL batches, the ledger's
//! settings, prompt-payment discounts, and reports by customer group.

mod batches;
mod reports;
mod transactions;

pub use batches::{GlCommand, gl};
pub use reports::{ReportCommand, report};
pub use transactions::{TransactionCommand, transaction};
