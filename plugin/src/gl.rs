//! GL integration (seed 004): the posting rules that turn accounts-receivable
//! transactions into GL batch lines through the customers' groups' accounts,
//! the prompt-payment discount a receipt earns, and the group credit check.
//!
//! One job a module, lower ones first:
//! - [`pack`]: the packed form of a batch, both ways (transactions in,
//!   postings out); [`context`]: what one call asks the host once (groups'
//!   effective settings, accounts) and the problems it finds;
//! - [`legs`]: the table of each kind's legs (which accounts a kind debits
//!   and credits, with which amount, when);
//! - [`posting`]: [`build_batch`], the legs resolved, checked and converted
//!   to the base currency; [`discount`]: [`receipt_discount`]; [`credit`]:
//!   [`credit_check`].
//!
//! No `HashMap` in the guest: its random seed would import `wasi:random`,
//! which the host does not grant.

mod context;
mod credit;
mod discount;
mod legs;
mod pack;
mod posting;
#[cfg(test)]
mod testing;

pub use credit::{credit_check, credit_check_many};
pub use discount::receipt_discount;
pub use pack::{Entry, Packer, pack};
pub use posting::{build_batch, kind_name};
