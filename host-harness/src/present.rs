//! What a front end shows of a stored group beside the form's own fields:
//! a cell of the group list, and the audit fields the host fills in. Shared
//! by the CLI and the console, so that both show the same text.

use crate::messages::{self as m, Locale};
use crate::store::{GroupColumn, GroupRecord};
use crate::units::money_text;
use crate::wit::Customer;

/// One cell of the group list.
pub fn cell(record: &GroupRecord, column: GroupColumn, l: Locale) -> String {
    let g = &record.group;
    let yes = |b: bool| if b { m::yes(l) } else { String::new() };
    match column {
        GroupColumn::Code => g.code.clone(),
        GroupColumn::Name => g.name.clone(),
        GroupColumn::Parent => g.parent.clone().unwrap_or_default(),
        GroupColumn::IsGroup => yes(g.is_group),
        GroupColumn::Currency => g.settings.currency.clone().unwrap_or_default(),
        GroupColumn::ReceivableAccount => g.settings.receivable_account.clone().unwrap_or_default(),
        GroupColumn::PriceList => g.settings.price_list.clone().unwrap_or_default(),
        GroupColumn::CreditLimit => g.settings.credit_limit.map(money_text).unwrap_or_default(),
        GroupColumn::Inactive => yes(g.inactive),
        GroupColumn::UpdatedAt => record.updated_at.clone(),
    }
    .replace(['\n', '\r', '\t'], " ")
}

/// The audit fields the host fills in, by the form's field names, with
/// their values in `record`: who created the group and when, who saved it
/// last and when.
pub fn audit(record: &GroupRecord) -> [(&'static str, String); 4] {
    [
        ("created-by", record.created_by.clone()),
        ("created-at", record.created_at.clone()),
        ("updated-by", record.updated_by.clone()),
        ("updated-at", record.updated_at.clone()),
    ]
}

/// A member customer's value in column `column` of the form's read-only
/// Customers table; `None` for a column this host does not know.
pub fn member_cell(customer: &Customer, column: &str, l: Locale) -> Option<String> {
    Some(match column {
        "code" => customer.code.clone(),
        "name" => customer.name.clone(),
        "currency" => customer.currency.clone(),
        "active" => {
            if customer.active {
                m::yes(l)
            } else {
                m::no(l)
            }
        }
        _ => return None,
    })
}
