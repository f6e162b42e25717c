//! What a declared group sets for each company other than the default
//! (`[group.company.BETA]`): the per-company fields of the plugin's form,
//! by company code. Most groups set nothing per company, and hold nothing
//! for it.

use std::sync::Arc;

use host_harness::fields::json::settings_to_json;
use host_harness::wit::Settings;
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One company's settings: its code and what the group sets there.
type Row = (Box<str>, Settings);

/// Settings by company code, in code order; cheap to clone.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Companies(Option<Arc<[Row]>>);

impl Companies {
    /// The settings of `rows` (company, settings), sorted by company.
    pub fn new(mut rows: Vec<(String, Settings)>) -> Self {
        if rows.is_empty() {
            return Self(None);
        }
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        Self(Some(
            rows.into_iter()
                .map(|(code, settings)| (code.into_boxed_str(), settings))
                .collect(),
        ))
    }

    /// Whether no company has settings of its own.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// What `company` sets, if it sets anything.
    pub fn get(&self, company: &str) -> Option<&Settings> {
        self.0
            .iter()
            .flat_map(|rows| rows.iter())
            .find(|(code, _)| &**code == company)
            .map(|(_, settings)| settings)
    }

    /// Each company and its settings, in code order.
    pub fn rows(&self) -> Vec<(&str, &Settings)> {
        self.0
            .iter()
            .flat_map(|rows| rows.iter())
            .map(|(code, settings)| (&**code, settings))
            .collect()
    }
}

impl Serialize for Companies {
    /// As a map of company code to its settings by form field names.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rows = self.rows();
        let mut map = serializer.serialize_map(Some(rows.len()))?;
        for (code, settings) in rows {
            let json: serde_json::Value = serde_json::from_str(&settings_to_json(settings))
                .map_err(serde::ser::Error::custom)?;
            map.serialize_entry(code, &json)?;
        }
        map.end()
    }
}
