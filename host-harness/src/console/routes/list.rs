//! `GET /form/{form}`: the list view, drawn from the form definition: its
//! search keys and match modes, its columns (the default ones, or those
//! Customise chose), its Search, Show All, New, Filter / Sort (by parent,
//! with its descendants), Customise and Print actions; sorted by any
//! column, a page at a time, inactive rows dimmed. The same route shows
//! the tree (`view=tree`, one level at a time, with Add Child) and prints
//! the search (`print=csv`, `print=html`: every matching row).
//!
//! Everything the list shows is in its query string, so that any view
//! can be bookmarked.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{App, Stop, Who, blocking, chrome, encode, field, html, query, signed_in};
use crate::console::pages::{
    Choice, Heading, ListCell, ListPage, ListRow, PrintPage, TreePage, TreeRow,
};
use crate::console::words::Words;
use crate::present::{self, cell};
use crate::store::{GroupColumn, GroupQuery};
use crate::wit::{FormDefinition, MatchMode};

/// Rows on a page (of the list, and of a level of the tree).
const PAGE_SIZE: u64 = 50;

/// The contract's name of a match mode, as the list's query string has it.
pub(super) fn mode_name(mode: MatchMode) -> &'static str {
    match mode {
        MatchMode::AnyPart => "any-part",
        MatchMode::Start => "start",
        MatchMode::Exact => "exact",
    }
}

/// The caption of the form's action `name`, if the form has it.
pub(super) fn action(form: &FormDefinition, name: &str) -> Option<String> {
    form.actions
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.label.clone())
}

/// The installed form if its id is `id`; 404 otherwise.
pub(super) fn the_form(app: &App, who: &Who, id: &str) -> Result<Arc<FormDefinition>, Stop> {
    let form = app.admin()?.shared_form(who.locale().tag())?;
    if form.id == id {
        Ok(form)
    } else {
        Err(Stop::Status(StatusCode::NOT_FOUND))
    }
}

/// The caption of the form field the host stores as `which` (the parent,
/// the group-node flag).
fn label_of(form: &FormDefinition, which: fn(&crate::fields::Field) -> bool) -> String {
    crate::fields::all()
        .iter()
        .find(|f| which(f))
        .and_then(|p| form.fields.iter().find(|f| f.name == p.name))
        .map(|f| f.label.clone())
        .unwrap_or_default()
}

/// What the list prints instead of a page.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Print {
    Csv,
    Html,
}

/// The list's search as the query string gives it.
struct Search {
    key: String,
    mode: MatchMode,
    text: String,
    under: String,
    /// The columns chosen (list column fields, in the form's order);
    /// empty: the form's default ones.
    columns: Vec<String>,
    sort: Option<String>,
    descending: bool,
    page: u64,
    tree: bool,
    print: Option<Print>,
}

impl Search {
    fn read(form: &FormDefinition, pairs: &[(String, String)]) -> Self {
        let given = |name: &str| field(pairs, name);
        let all = given("all").is_some();
        let key = given("key")
            .filter(|k| form.search_keys.iter().any(|s| s.field == *k))
            .or(form.search_keys.first().map(|s| s.field.as_str()))
            .unwrap_or_default()
            .to_owned();
        let mode = given("mode")
            .and_then(|m| {
                form.match_modes
                    .iter()
                    .find(|o| mode_name(o.mode) == m)
                    .map(|o| o.mode)
            })
            .or(form.match_modes.first().map(|o| o.mode))
            .unwrap_or(MatchMode::AnyPart);
        let chosen: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "cols")
            .map(|(_, v)| v.as_str())
            .collect();
        let columns = form
            .list_columns
            .iter()
            .filter(|c| chosen.contains(&c.field.as_str()))
            .map(|c| c.field.clone())
            .collect();
        let text_of = |name: &str| {
            if all {
                String::new()
            } else {
                given(name).unwrap_or_default().trim().to_owned()
            }
        };
        Self {
            key,
            mode,
            text: text_of("text"),
            under: text_of("under"),
            columns,
            sort: given("sort")
                .filter(|s| form.list_columns.iter().any(|c| c.field == *s))
                .map(str::to_owned),
            descending: given("desc").is_some(),
            page: given("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            tree: given("view") == Some("tree"),
            print: match given("print") {
                Some("csv") => Some(Print::Csv),
                Some("html") => Some(Print::Html),
                _ => None,
            },
        }
    }

    /// The list columns shown: those chosen, else the form's defaults.
    fn shown_columns<'f>(&self, form: &'f FormDefinition) -> Vec<&'f crate::wit::ListColumn> {
        form.list_columns
            .iter()
            .filter(|c| {
                if self.columns.is_empty() {
                    c.default_visible
                } else {
                    self.columns.contains(&c.field)
                }
            })
            .collect()
    }

    /// The query string of this search, sorted by `sort`, on `page`, with
    /// `extra` pairs at the end.
    fn href(
        &self,
        route: &str,
        sort: Option<&str>,
        descending: bool,
        page: u64,
        extra: &[(&str, &str)],
    ) -> String {
        let page = page.to_string();
        let mut pairs = vec![
            ("key", self.key.as_str()),
            ("mode", mode_name(self.mode)),
            ("text", self.text.as_str()),
        ];
        if !self.under.is_empty() {
            pairs.push(("under", self.under.as_str()));
        }
        for c in &self.columns {
            pairs.push(("cols", c.as_str()));
        }
        if let Some(sort) = sort {
            pairs.push(("sort", sort));
        }
        if descending {
            pairs.push(("desc", "1"));
        }
        pairs.push(("page", &page));
        pairs.extend_from_slice(extra);
        format!("{route}?{}", query(&pairs))
    }

    /// The store's query for this search: a page, or every row.
    fn query(&self, under: Option<String>, page: Option<u64>) -> GroupQuery {
        GroupQuery {
            key: GroupColumn::parse(&self.key).unwrap_or_default(),
            mode: self.mode,
            text: Some(self.text.clone()).filter(|t| !t.is_empty()),
            under,
            sort: self
                .sort
                .as_deref()
                .and_then(GroupColumn::parse)
                .unwrap_or_default(),
            descending: self.descending,
            offset: page.map_or(0, |p| (p - 1).saturating_mul(PAGE_SIZE)),
            limit: page.map(|_| PAGE_SIZE),
        }
    }
}

/// `GET /form/{form}`.
pub(super) async fn list(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    blocking(app, headers, move |app, headers| {
        let who = signed_in(app, headers)?;
        let form = the_form(app, &who, &id)?;
        let search = Search::read(&form, &pairs);
        if search.tree {
            return tree(app, &who, &form, &search);
        }
        let admin = app.admin()?;
        // The parent filter names a stored group (as typed: any case).
        let under = match search.under.as_str() {
            "" => None,
            typed => Some(
                admin
                    .db()
                    .find_group(typed)?
                    .map_or_else(|| typed.to_owned(), |r| r.group.code),
            ),
        };
        match search.print {
            Some(print) => printed(app, &who, &form, &search, under, print),
            None => list_page(app, &who, &form, &search, under),
        }
    })
    .await
}

/// The list page.
fn list_page(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    search: &Search,
    under: Option<String>,
) -> Result<Response, Stop> {
    let l = who.locale();
    let columns = search.shown_columns(form);
    let page = app
        .admin()?
        .db()
        .groups(&search.query(under, Some(search.page)))?;
    let offset = (search.page - 1).saturating_mul(PAGE_SIZE);
    let route = format!("/form/{}", form.id);
    let headings = columns
        .iter()
        .map(|c| {
            let sortable = GroupColumn::parse(&c.field).is_some();
            let current = search.sort.as_deref() == Some(c.field.as_str());
            Heading {
                label: c.label.clone(),
                sort_href: sortable.then(|| {
                    search.href(
                        &route,
                        Some(&c.field),
                        current && !search.descending,
                        1,
                        &[],
                    )
                }),
                sorted: match (current, search.descending) {
                    (false, _) => "none",
                    (true, false) => "ascending",
                    (true, true) => "descending",
                },
            }
        })
        .collect();
    let owners = app
        .admin()?
        .db()
        .sync_owners(page.groups.iter().map(|r| r.group.code.as_str()))?;
    let rows = page
        .groups
        .iter()
        .enumerate()
        .map(|(i, record)| {
            let mut first = true;
            let cells = columns
                .iter()
                .map(|c| {
                    let text = match GroupColumn::parse(&c.field) {
                        Some(column) => cell(record, column, l),
                        None => (offset + i as u64 + 1).to_string(),
                    };
                    let link = first && GroupColumn::parse(&c.field).is_some();
                    first &= !link;
                    ListCell { text, link }
                })
                .collect();
            ListRow {
                cells,
                href: format!("{route}/{}", encode(&record.group.code)),
                inactive: record.group.inactive,
                owner: owners
                    .get(&record.group.code)
                    .filter(|o| !o.removed)
                    .map(|o| o.file.clone()),
            }
        })
        .collect();
    let pages = page.total.div_ceil(PAGE_SIZE).max(1);
    let sort = search.sort.as_deref();
    let at = |p: u64| search.href(&route, sort, search.descending, p, &[]);
    let here = at(search.page);
    let words = Words::of(l);
    let print_label = action(form, "print");
    let list = ListPage {
        chrome: chrome(app, who, &here)?,
        title: form.title.clone(),
        description: form.description.clone(),
        keys: form
            .search_keys
            .iter()
            .map(|k| Choice::new(&k.field, &k.label, k.field == search.key))
            .collect(),
        modes: form
            .match_modes
            .iter()
            .map(|m| Choice::new(mode_name(m.mode), &m.label, m.mode == search.mode))
            .collect(),
        text: search.text.clone(),
        under: search.under.clone(),
        under_label: label_of(form, crate::fields::Field::is_parent),
        search_label: action(form, "search"),
        show_all_label: action(form, "show-all"),
        filter_label: action(form, "filter-sort"),
        customise_label: action(form, "customise"),
        new_label: action(form, "new").filter(|_| who.user.role.edits_groups()),
        columns: form
            .list_columns
            .iter()
            .map(|c| {
                let shown = columns.iter().any(|s| s.field == c.field);
                Choice::new(&c.field, &c.label, shown)
            })
            .collect(),
        sort: search.sort.clone(),
        descending: search.descending,
        print: print_label.map(|label| {
            vec![
                (
                    format!("{label}: CSV"),
                    search.href(&route, sort, search.descending, 1, &[("print", "csv")]),
                    "print-csv",
                ),
                (
                    format!("{label}: HTML"),
                    search.href(&route, sort, search.descending, 1, &[("print", "html")]),
                    "print-html",
                ),
            ]
        }),
        tree_href: format!("{route}?view=tree"),
        headings,
        rows,
        page_text: format!("{} {} / {pages} ({})", words.page, search.page, page.total),
        previous: (search.page > 1).then(|| at(search.page - 1)),
        next: (search.page < pages).then(|| at(search.page + 1)),
        route,
    };
    Ok(html(list.render()?))
}

/// Print: every row of the search, as CSV or as a printable page.
fn printed(
    app: &App,
    who: &Who,
    form: &FormDefinition,
    search: &Search,
    under: Option<String>,
    print: Print,
) -> Result<Response, Stop> {
    let l = who.locale();
    let columns: Vec<GroupColumn> = search
        .shown_columns(form)
        .iter()
        .filter_map(|c| GroupColumn::parse(&c.field))
        .collect();
    let page = app.admin()?.db().groups(&search.query(under, None))?;
    let (headings, rows) = present::list_table(form, &page.groups, 0, &columns, l);
    match print {
        Print::Csv => {
            let mut out = Vec::new();
            present::write_csv(&headings, &rows, &mut out)
                .map_err(|e| super::ConsoleError::Worker(e.to_string()))?;
            let disposition = format!("attachment; filename=\"{}.csv\"", form.id);
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                out,
            )
                .into_response())
        }
        Print::Html => {
            let inactive = page.groups.iter().map(|r| r.group.inactive);
            let page = PrintPage {
                lang: l.tag(),
                title: form.title.clone(),
                path: form.menu.path.join(" | "),
                headings,
                rows: rows.into_iter().zip(inactive).collect(),
                total: page.total,
                printed_by: format!("{} {}", Words::of(l).signed_in_as, who.user.name),
            };
            Ok(html(page.render()?))
        }
    }
}

/// The tree: one level (the roots, or a group's children), a page at a
/// time, each group with how many children it has; the path down to it
/// above; Add Child on each group node.
fn tree(app: &App, who: &Who, form: &FormDefinition, search: &Search) -> Result<Response, Stop> {
    let admin = app.admin()?;
    let db = admin.db();
    let route = format!("/form/{}", form.id);
    let parent = match search.under.as_str() {
        "" => None,
        typed => Some(
            db.find_group(typed)?
                .ok_or(Stop::Status(StatusCode::NOT_FOUND))?,
        ),
    };
    // The path from the root down to the parent (a cycle in a damaged
    // store ends the walk rather than looping).
    let mut path = Vec::new();
    let mut at = parent.as_ref().map(|r| r.group.clone());
    while let Some(group) = at {
        if path
            .iter()
            .any(|(code, _): &(String, String)| *code == group.code)
        {
            break;
        }
        let up = group.parent.clone();
        path.push((group.code.clone(), group.name.clone()));
        at = match up {
            Some(code) => db.group(&code)?.map(|r| r.group),
            None => None,
        };
    }
    path.reverse();
    let under = parent.as_ref().map(|r| r.group.code.as_str());
    let offset = (search.page - 1).saturating_mul(PAGE_SIZE);
    let level = db.tree_level(under, offset, PAGE_SIZE)?;
    let may_edit = who.user.role.edits_groups();
    let add_child = action(form, "add-child").filter(|_| may_edit);
    let level_href =
        |code: &str| format!("{route}?{}", query(&[("view", "tree"), ("under", code)]));
    let new_under = |code: &str| format!("{route}/new?{}", query(&[("parent", code)]));
    let rows = level
        .nodes
        .iter()
        .map(|n| TreeRow {
            code: n.code.clone(),
            name: n.name.clone(),
            href: format!("{route}/{}", encode(&n.code)),
            is_group: n.is_group,
            inactive: n.inactive,
            children: n.children,
            open_href: (n.children > 0).then(|| level_href(&n.code)),
            add_child_href: (n.is_group && add_child.is_some()).then(|| new_under(&n.code)),
        })
        .collect();
    let l = who.locale();
    let words = Words::of(l);
    let pages = level.total.div_ceil(PAGE_SIZE).max(1);
    let page_href = |p: u64| {
        let p = p.to_string();
        let mut pairs = vec![("view", "tree"), ("page", p.as_str())];
        if let Some(code) = under {
            pairs.push(("under", code));
        }
        format!("{route}?{}", query(&pairs))
    };
    let here = page_href(search.page);
    let page = TreePage {
        chrome: chrome(app, who, &here)?,
        title: form.title.clone(),
        list_href: route.clone(),
        root_href: format!("{route}?view=tree"),
        path: path
            .iter()
            .map(|(code, name)| (format!("{code} {name}"), level_href(code)))
            .collect(),
        parent_add: match (under, parent.as_ref()) {
            (Some(code), Some(r)) if r.group.is_group => {
                add_child.clone().map(|label| (label, new_under(code)))
            }
            (None, _) => action(form, "new")
                .filter(|_| may_edit)
                .map(|label| (label, format!("{route}/new"))),
            _ => None,
        },
        node_label: label_of(form, crate::fields::Field::is_group_node),
        add_child_label: add_child.unwrap_or_default(),
        rows,
        page_text: format!("{} {} / {pages} ({})", words.page, search.page, level.total),
        previous: (search.page > 1).then(|| page_href(search.page - 1)),
        next: (search.page < pages).then(|| page_href(search.page + 1)),
    };
    Ok(html(page.render()?))
}
