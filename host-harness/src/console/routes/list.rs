//! `GET /form/{form}`: the list view, drawn from the form definition: its
//! search keys and match modes, its default columns, its Search, Show All
//! and New actions; sorted by any column, a page at a time, inactive rows
//! dimmed.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{App, Stop, Who, blocking, chrome, encode, field, html, query, signed_in};
use crate::console::pages::{Heading, ListCell, ListPage, ListRow};
use crate::present::cell;
use crate::store::{GroupColumn, GroupQuery};
use crate::wit::{FormDefinition, MatchMode};

/// Rows on a page.
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
pub(super) fn the_form(app: &App, who: &Who, id: &str) -> Result<FormDefinition, Stop> {
    let form = app.admin()?.form(who.locale().tag())?;
    if form.id == id {
        Ok(form)
    } else {
        Err(Stop::Status(StatusCode::NOT_FOUND))
    }
}

/// The list's search as the query string gives it.
struct Search {
    key: String,
    mode: MatchMode,
    text: String,
    sort: Option<String>,
    descending: bool,
    page: u64,
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
        Self {
            key,
            mode,
            text: if all {
                String::new()
            } else {
                given("text").unwrap_or_default().to_owned()
            },
            sort: given("sort")
                .filter(|s| form.list_columns.iter().any(|c| c.field == *s))
                .map(str::to_owned),
            descending: given("desc").is_some(),
            page: given("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The query string of this search, sorted by `sort`, on `page`.
    fn href(&self, route: &str, sort: Option<&str>, descending: bool, page: u64) -> String {
        let page = page.to_string();
        let mut pairs = vec![
            ("key", self.key.as_str()),
            ("mode", mode_name(self.mode)),
            ("text", self.text.as_str()),
        ];
        if let Some(sort) = sort {
            pairs.push(("sort", sort));
        }
        if descending {
            pairs.push(("desc", "1"));
        }
        pairs.push(("page", &page));
        format!("{route}?{}", query(&pairs))
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
        let columns: Vec<_> = form
            .list_columns
            .iter()
            .filter(|c| c.default_visible)
            .collect();
        let sort = search.sort.as_deref().and_then(GroupColumn::parse);
        let offset = (search.page - 1).saturating_mul(PAGE_SIZE);
        let admin = app.admin()?;
        let page = admin.db().groups(&GroupQuery {
            key: GroupColumn::parse(&search.key).unwrap_or_default(),
            mode: search.mode,
            text: Some(search.text.clone()).filter(|t| !t.is_empty()),
            under: None,
            sort: sort.unwrap_or_default(),
            descending: search.descending,
            offset,
            limit: Some(PAGE_SIZE),
        })?;
        let route = format!("/form/{}", form.id);
        let l = who.locale();
        let headings = columns
            .iter()
            .map(|c| {
                let sortable = GroupColumn::parse(&c.field).is_some();
                let current = search.sort.as_deref() == Some(c.field.as_str());
                Heading {
                    label: c.label.clone(),
                    sort_href: sortable.then(|| {
                        search.href(&route, Some(&c.field), current && !search.descending, 1)
                    }),
                    sorted: match (current, search.descending) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                }
            })
            .collect();
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
                }
            })
            .collect();
        let pages = page.total.div_ceil(PAGE_SIZE).max(1);
        let at = |p: u64| search.href(&route, search.sort.as_deref(), search.descending, p);
        let here = search.href(
            &route,
            search.sort.as_deref(),
            search.descending,
            search.page,
        );
        let words = crate::console::words::Words::of(l);
        let list = ListPage {
            chrome: chrome(app, &who, &here)?,
            title: form.title.clone(),
            description: form.description.clone(),
            keys: form
                .search_keys
                .iter()
                .map(|k| (k.field.clone(), k.label.clone(), k.field == search.key))
                .collect(),
            modes: form
                .match_modes
                .iter()
                .map(|m| {
                    (
                        mode_name(m.mode).to_owned(),
                        m.label.clone(),
                        m.mode == search.mode,
                    )
                })
                .collect(),
            text: search.text.clone(),
            search_label: action(&form, "search"),
            show_all_label: action(&form, "show-all"),
            new_label: action(&form, "new").filter(|_| who.user.role.edits_groups()),
            headings,
            rows,
            page_text: format!("{} {} / {pages} ({})", words.page, search.page, page.total),
            previous: (search.page > 1).then(|| at(search.page - 1)),
            next: (search.page < pages).then(|| at(search.page + 1)),
            route,
        };
        Ok(html(list.render()?))
    })
    .await
}
