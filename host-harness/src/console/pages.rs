//! The pages, as askama templates (`host-harness/templates/`): compiled
//! with the host, so a template that names a missing value does not build,
//! and every value is HTML-escaped unless a template says otherwise (none
//! does).

use askama::Template;

use super::widgets::{FieldView, Widget};
use super::words::Words;
use crate::present::history::Entry;

/// What every signed-in page shows around its content.
pub struct Chrome {
    /// The console's words in the user's locale.
    pub words: &'static Words,
    /// The user signed in and their role's name.
    pub user: Option<(String, String)>,
    /// The session's CSRF token, for the page's forms.
    pub csrf: String,
    /// The host menu, one row per entry, indented by depth.
    pub menu: Vec<MenuRow>,
    /// The path of this page, where the locale switch returns.
    pub here: String,
    /// The locales to switch to: tag, name, whether it is the current one.
    pub locales: Vec<(&'static str, &'static str, bool)>,
    /// What the last action did, said once.
    pub notices: Vec<String>,
    /// The host's own pages (beside the plugins' menu): caption, route.
    pub host_links: Vec<(String, String)>,
}

/// One row of the host menu.
pub struct MenuRow {
    /// How deep in the menu (0: the top level).
    pub depth: usize,
    /// The caption.
    pub label: String,
    /// For an entry (not a heading): the route it opens.
    pub route: Option<String>,
}

/// The login page.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// The chrome (no user, no menu).
    pub chrome: Chrome,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The name typed last.
    pub name: String,
}

/// The home page: the host menu.
#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    /// The chrome.
    pub chrome: Chrome,
}

/// A column heading of the list, with the link that sorts by it.
pub struct Heading {
    /// The caption.
    pub label: String,
    /// The link sorting by the column (none for "No.").
    pub sort_href: Option<String>,
    /// `ascending`/`descending` when the list is sorted by it, else `none`.
    pub sorted: &'static str,
}

/// One cell of the list.
pub struct ListCell {
    /// The text.
    pub text: String,
    /// Whether it links to the record's form (the first column after "No.").
    pub link: bool,
}

/// One row of the list.
pub struct ListRow {
    /// The cells, "No." first.
    pub cells: Vec<ListCell>,
    /// The link to the record's form.
    pub href: String,
    /// Whether the record is inactive (drawn dimmed).
    pub inactive: bool,
    /// The file of the sync daemon that declares it, if one does.
    pub owner: Option<String>,
}

/// One option of a select or a check box of a list.
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// The caption.
    pub label: String,
    /// Whether it is chosen.
    pub chosen: bool,
}

impl Choice {
    /// An option.
    pub fn new(value: &str, label: &str, chosen: bool) -> Self {
        Self {
            value: value.to_owned(),
            label: label.to_owned(),
            chosen,
        }
    }
}

/// The list view.
#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The form's title.
    pub title: String,
    /// The form's description.
    pub description: String,
    /// The list's route (the search form's target).
    pub route: String,
    /// The search keys.
    pub keys: Vec<Choice>,
    /// The match modes.
    pub modes: Vec<Choice>,
    /// The search text.
    pub text: String,
    /// The parent group filtered by, as typed.
    pub under: String,
    /// The caption of the parent filter (the parent field's).
    pub under_label: String,
    /// The caption of the Search button, if the form has it.
    pub search_label: Option<String>,
    /// The caption of Show All, if the form has it.
    pub show_all_label: Option<String>,
    /// The caption of Filter / Sort, if the form has it.
    pub filter_label: Option<String>,
    /// The caption of Customise, if the form has it.
    pub customise_label: Option<String>,
    /// The caption of New, if the form has it and the role may create.
    pub new_label: Option<String>,
    /// Every list column, chosen when shown (Customise).
    pub columns: Vec<Choice>,
    /// The column sorted by, carried by the forms.
    pub sort: Option<String>,
    /// Whether sorted descending.
    pub descending: bool,
    /// Print's links: caption, href, id.
    pub print: Option<Vec<(String, String, &'static str)>>,
    /// The tree view's link.
    pub tree_href: String,
    /// The column headings.
    pub headings: Vec<Heading>,
    /// The rows of this page.
    pub rows: Vec<ListRow>,
    /// "Page 2 of 7".
    pub page_text: String,
    /// The previous page's link.
    pub previous: Option<String>,
    /// The next page's link.
    pub next: Option<String>,
}

/// The printable list: every row of the search, no menu, no forms.
#[derive(Template)]
#[template(path = "print.html")]
pub struct PrintPage {
    /// The page's language.
    pub lang: &'static str,
    /// The form's title.
    pub title: String,
    /// Its menu path.
    pub path: String,
    /// The column headings.
    pub headings: Vec<String>,
    /// Each row's cells, and whether the group is inactive.
    pub rows: Vec<(Vec<String>, bool)>,
    /// How many rows.
    pub total: u64,
    /// Who printed it.
    pub printed_by: String,
}

/// One group of a level of the tree.
pub struct TreeRow {
    /// The code.
    pub code: String,
    /// The name.
    pub name: String,
    /// Its form.
    pub href: String,
    /// Whether it is a group node.
    pub is_group: bool,
    /// Whether it is inactive.
    pub inactive: bool,
    /// How many child groups it has.
    pub children: u64,
    /// The level of its children, if it has any.
    pub open_href: Option<String>,
    /// Add Child, for a group node the role may add to.
    pub add_child_href: Option<String>,
}

/// The tree view: one level.
#[derive(Template)]
#[template(path = "tree.html")]
pub struct TreePage {
    /// The chrome.
    pub chrome: Chrome,
    /// The form's title.
    pub title: String,
    /// The list view.
    pub list_href: String,
    /// The roots.
    pub root_href: String,
    /// The groups from the root down to this level's parent: text, href.
    pub path: Vec<(String, String)>,
    /// Adding to this level: Add Child under its parent (a group node), or
    /// New at the roots; caption and href.
    pub parent_add: Option<(String, String)>,
    /// The caption of the group-node flag.
    pub node_label: String,
    /// The caption of Add Child.
    pub add_child_label: String,
    /// The groups of this level, on this page.
    pub rows: Vec<TreeRow>,
    /// "Page 1 / 1 (3)".
    pub page_text: String,
    /// The previous page.
    pub previous: Option<String>,
    /// The next page.
    pub next: Option<String>,
}

/// A section of the form and its fields.
pub struct SectionView {
    /// The section's name (its element's id).
    pub name: String,
    /// The caption.
    pub label: String,
    /// The fields, in the form's order.
    pub fields: Vec<FieldView>,
}

/// The form view.
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The form's title and the record's code, if it exists.
    pub title: String,
    /// Where Save posts.
    pub action: String,
    /// The form's id (carried by a quick-create, to come back).
    pub form_id: String,
    /// The stored record's code (carried by a quick-create).
    pub record_code: Option<String>,
    /// The list's route.
    pub list_href: String,
    /// The sections.
    pub sections: Vec<SectionView>,
    /// Errors about no one field (a stale read, the record as a whole).
    pub top_errors: Vec<String>,
    /// Warnings about no one field.
    pub top_warnings: Vec<String>,
    /// Whether the page follows a save that succeeded.
    pub saved: bool,
    /// Whether the save was refused (the fields say why).
    pub refused: bool,
    /// Whether Delete was refused (the top says why).
    pub not_deleted: bool,
    /// The version the edit is based on (an existing record).
    pub version: Option<i64>,
    /// What the read the edit is based on saw, for records that keep no
    /// version (a company's AR settings: [`crate::store::settings_read`]).
    pub read: Option<String>,
    /// The caption of Save, if the form has it and the role may save.
    pub save_label: Option<String>,
    /// The caption of Refresh, for an existing record.
    pub refresh_label: Option<String>,
    /// The caption of Delete, for an existing record the role may delete.
    pub delete_label: Option<String>,
    /// What the sync daemon's ownership means for this record.
    pub owner_notes: Vec<String>,
    /// The record's other toolbar actions the role may take.
    pub tools: Vec<Tool>,
    /// The record's latest recorded changes, newest first (none for a new
    /// record).
    pub history: Vec<Entry>,
    /// A note under the history: how many changes are recorded in all, if
    /// more than `history` shows, or why it cannot be shown.
    pub history_more: Option<String>,
    /// Links to the record's settings for each company other than the
    /// default: (href, caption).
    pub companies: Vec<(String, String)>,
}

/// An action of the form's toolbar.
pub struct Tool {
    /// The action's name (the button's id).
    pub name: String,
    /// The caption.
    pub label: String,
    /// What it does.
    pub help: String,
    /// Where it goes.
    pub href: String,
    /// Whether it is a POST (a button in a form of its own) or a link.
    pub post: bool,
}

/// An error page.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    /// The page's language.
    pub lang: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The title.
    pub title: String,
    /// What happened and what to do.
    pub text: String,
    /// The caption of the link home.
    pub home: String,
}

impl FieldView {
    /// Whether the widget is a table (drawn in a fieldset of its own).
    pub fn is_rows(&self) -> bool {
        matches!(self.widget, Widget::Rows { .. })
    }
}

/// One field of one customer that Apply Default Terms changes.
pub struct TermsChange {
    /// The customer's code and name.
    pub customer: String,
    /// The field's caption.
    pub field: String,
    /// Its value now.
    pub before: String,
    /// Its value after.
    pub after: String,
}

/// Apply Default Terms: the preview, and its confirmation.
#[derive(Template)]
#[template(path = "terms.html")]
pub struct TermsPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The action's caption and the group.
    pub title: String,
    /// The group's form.
    pub record_href: String,
    /// Where the confirmation posts.
    pub action: String,
    /// "Nothing to change", when so.
    pub nothing: Option<String>,
    /// How many customers change.
    pub customers: usize,
    /// Every change.
    pub changes: Vec<TermsChange>,
    /// The plan's digest, sent back with the confirmation.
    pub digest: String,
    /// The caption of the confirmation, if the role may apply.
    pub confirm_label: Option<String>,
    /// Why the page is shown again.
    pub notices: Vec<String>,
}

/// Reassign Customers: the group to move them to.
#[derive(Template)]
#[template(path = "reassign.html")]
pub struct ReassignPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The action's caption and the group.
    pub title: String,
    /// The action's help.
    pub help: String,
    /// The group's form.
    pub record_href: String,
    /// Where the form posts.
    pub action: String,
    /// How many customers the group has.
    pub customers: usize,
    /// The target typed.
    pub to: String,
    /// Why the last attempt was refused.
    pub errors: Vec<String>,
    /// The caption of the button, if the role may reassign.
    pub confirm_label: Option<String>,
}

/// The "+" dialog of an account lookup: a new account, with everything
/// typed in the form it came from carried along.
#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The caption of the lookup it was opened from.
    pub for_label: String,
    /// The code typed.
    pub code: String,
    /// The name typed.
    pub name: String,
    /// The kinds: value, caption, chosen.
    pub kinds: Vec<(&'static str, String, bool)>,
    /// Errors by input (`code`, `name`, `kind`; `""` for the whole).
    pub errors: Vec<(&'static str, String)>,
    /// The form's values, carried as they were typed.
    pub carried: Vec<(String, String)>,
}

impl AccountPage {
    /// The errors at input `name`.
    pub fn errors_at(&self, name: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|(at, _)| *at == name)
            .map(|(_, e)| e.as_str())
            .collect()
    }
}

/// One run of the sync daemon.
pub struct RunView {
    /// When it started.
    pub started: String,
    /// When it finished.
    pub finished: String,
    /// `applied`, `unchanged`, `refused`, `failed`.
    pub outcome: String,
    /// Its counts, as a sentence.
    pub counts: String,
    /// Its errors.
    pub errors: Vec<String>,
    /// Its warnings.
    pub warnings: Vec<String>,
}

/// The sync daemon's status.
#[derive(Template)]
#[template(path = "sync.html")]
pub struct SyncPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The title.
    pub title: String,
    /// Groups the files own.
    pub owned: i64,
    /// Groups no file declares any more.
    pub removed: i64,
    /// How many owned groups drifted.
    pub drifted_total: usize,
    /// The first of them: code, form.
    pub drifted: Vec<(String, String)>,
    /// The drift mode of the last run.
    pub mode: String,
    /// The last runs, newest first.
    pub runs: Vec<RunView>,
}

/// One AR transaction of the list.
pub struct TxRow {
    /// Its id.
    pub id: i64,
    /// Its date.
    pub date: String,
    /// Its kind's caption.
    pub kind: String,
    /// The customer.
    pub customer: String,
    /// The currency.
    pub currency: String,
    /// The amount, in the currency's units.
    pub amount: String,
    /// The reference.
    pub reference: String,
    /// The batch it is in, if any.
    pub batch: Option<i64>,
}

/// AR transactions: the list, the entry form, the import form.
#[derive(Template)]
#[template(path = "transactions.html")]
pub struct TransactionsPage {
    /// The companies an import may be for (code, label, chosen), when
    /// the host has more than one.
    pub companies: Vec<(String, String, bool)>,
    /// The chrome.
    pub chrome: Chrome,
    /// The transactions, newest first.
    pub rows: Vec<TxRow>,
    /// How many are listed at most.
    pub listed: usize,
    /// The customer filtered by.
    pub customer: String,
    /// The batch filtered by.
    pub batch: String,
    /// Whether the role may enter and import.
    pub may_enter: bool,
    /// Whether the user holds the credit-controller right (may give a
    /// reason to enter invoices past their credit limits).
    pub credit_controller: bool,
    /// The credit override reason as typed.
    pub credit_override: String,
    /// The kinds.
    pub kinds: Vec<Choice>,
    /// The entry form's other fields as typed: name, value.
    pub typed: Vec<(String, String)>,
    /// Why the last entry was refused.
    pub errors: Vec<String>,
}

/// The head of an import's page; the progress and the tail follow.
#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The file's name.
    pub file: String,
}

/// The end of an import's page: what it did, or why not.
#[derive(Template)]
#[template(path = "import_tail.html")]
pub struct ImportTail {
    /// The console's words.
    pub words: &'static Words,
    /// What was imported.
    pub done: Option<String>,
    /// Why nothing was.
    pub error: Option<String>,
}

/// One GL batch of the list.
pub struct BatchRow {
    /// Its id.
    pub id: i64,
    /// Whether it is posted.
    pub posted: bool,
    /// Its status's caption.
    pub status: String,
    /// How many transactions.
    pub transactions: i64,
    /// Its debits, in base units.
    pub debits: String,
    /// The company whose batch it is.
    pub company: String,
    /// The base currency.
    pub currency: String,
    /// When and by whom it was created.
    pub created: String,
    /// When and by whom it was posted.
    pub posted_at: String,
    /// What it was created from.
    pub filter: String,
}

/// GL batches: the list and Create Batch.
#[derive(Template)]
#[template(path = "batches.html")]
pub struct BatchesPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The batches, newest first.
    pub rows: Vec<BatchRow>,
    /// Whether the role may create batches.
    pub may_batch: bool,
    /// The companies to batch for (code, label, chosen), when the host
    /// has more than one.
    pub companies: Vec<(String, String, bool)>,
    /// The filter typed.
    pub from: String,
    /// The filter typed.
    pub to: String,
    /// The filter typed.
    pub group: String,
    /// Why the last Create Batch was refused.
    pub errors: Vec<String>,
}

/// One GL batch: its sums and lines, Post and Delete.
#[derive(Template)]
#[template(path = "batch.html")]
pub struct BatchPage {
    /// The chrome.
    pub chrome: Chrome,
    /// Its id.
    pub id: i64,
    /// Its status's caption.
    pub status: String,
    /// Who made and posted it, when.
    pub summary: String,
    /// The base currency.
    pub currency: String,
    /// Sums per day, account and currency: date, account, currency,
    /// debit, credit, amount in the currency, lines.
    pub totals: Vec<[String; 7]>,
    /// The debits' total.
    pub debit: String,
    /// The credits' total.
    pub credit: String,
    /// Every line (up to a limit): transaction, date, account, role,
    /// currency, amount, base amount, description.
    pub lines: Vec<[String; 8]>,
    /// Whether there are more lines than shown.
    pub more_lines: bool,
    /// Whether the role may post or delete it (and it is unposted).
    pub may_post: bool,
}

/// Receivables by customer group.
#[derive(Template)]
#[template(path = "receivables.html")]
pub struct ReceivablesPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The day, as typed.
    pub as_of: String,
    /// The base currency.
    pub currency: String,
    /// Which companies.
    pub view: CompanyView,
    /// Depth, group, customers, own, with subgroups.
    pub rows: Vec<(usize, String, i64, String, String)>,
    /// The total.
    pub total: String,
    /// Transactions the posting rules refuse, counted nowhere.
    pub uncounted: Option<String>,
    /// Why the report was not made.
    pub errors: Vec<String>,
}

/// Which companies a report shows, as its form asks (drawn only on a host
/// with several companies).
#[derive(Clone, Debug, Default)]
pub struct CompanyView {
    /// Whether the host has a company besides the default.
    pub several: bool,
    /// Each company: code, label, whether chosen.
    pub options: Vec<(String, String, bool)>,
    /// Whether every company is chosen, consolidated.
    pub all: bool,
    /// The report currency, as typed.
    pub currency: String,
    /// The rates, as typed.
    pub rates: String,
}

/// The sales trend.
#[derive(Template)]
#[template(path = "trend.html")]
pub struct TrendPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The first month, as typed.
    pub from: String,
    /// The last month, as typed.
    pub to: String,
    /// The group, as typed.
    pub group: String,
    /// Which companies.
    pub view: CompanyView,
    /// The base currency.
    pub currency: String,
    /// The months.
    pub months: Vec<String>,
    /// Group, one amount per month, total.
    pub rows: Vec<(String, Vec<String>, String)>,
    /// The chart's address.
    pub chart: Option<String>,
    /// Why the report was not made.
    pub errors: Vec<String>,
}

/// The group credit check.
#[derive(Template)]
#[template(path = "credit.html")]
pub struct CreditPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The customer, as typed.
    pub customer: String,
    /// The amount, as typed.
    pub amount: String,
    /// The rate, as typed.
    pub rate: String,
    /// Scope, limit, exposure, available, currency, source.
    pub lines: Vec<[String; 6]>,
    /// Whether no limit applies.
    pub no_limit: bool,
    /// The verdict, if checked.
    pub allowed: Option<bool>,
    /// Why not.
    pub reasons: Vec<String>,
    /// Why the check was not made.
    pub errors: Vec<String>,
    /// "Within every limit".
    pub within: String,
}

/// A limit of the plugin.
pub struct LimitRow {
    /// Its name (the input's).
    pub name: &'static str,
    /// Its value.
    pub value: String,
    /// What it may be set to.
    pub range: String,
}

/// The installed plugin, its limits, install another.
#[derive(Template)]
#[template(path = "plugin.html")]
pub struct PluginPage {
    /// The chrome.
    pub chrome: Chrome,
    /// What is installed, one line each.
    pub facts: Vec<String>,
    /// Who set the limits.
    pub limits_source: String,
    /// The limits.
    pub limits: Vec<LimitRow>,
    /// Why the last change was refused.
    pub errors: Vec<String>,
}

/// A user of the users page.
pub struct UserRow {
    /// The name.
    pub name: String,
    /// The roles, the user's chosen.
    pub roles: Vec<Choice>,
    /// Whether disabled.
    pub disabled: bool,
    /// When and by whom added.
    pub created: String,
}

/// The users and their roles.
#[derive(Template)]
#[template(path = "users.html")]
pub struct UsersPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The users.
    pub rows: Vec<UserRow>,
    /// The roles for a new user.
    pub roles: Vec<Choice>,
    /// A password generated just now: what it is for, and it.
    pub password: Option<(String, String)>,
    /// Why the last change was refused.
    pub errors: Vec<String>,
}

/// One company on the companies page.
#[derive(Clone, Debug)]
pub struct CompanyRow {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Whether it is the default company.
    pub is_default: bool,
    /// Its base currency (blank until set).
    pub base_currency: String,
    /// Its rounding account (blank until set).
    pub rounding_account: String,
    /// When and by whom added.
    pub created: String,
}

/// The companies, their ledgers, and Add company.
#[derive(Template)]
#[template(path = "companies.html")]
pub struct CompaniesPage {
    /// The chrome.
    pub chrome: Chrome,
    /// The companies, the default first.
    pub rows: Vec<CompanyRow>,
    /// What was typed into Add company: code, name.
    pub typed: (String, String),
    /// Why the last change was refused.
    pub errors: Vec<String>,
}
