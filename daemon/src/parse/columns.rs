//! The columns of a rule table, as the schema accepts them.

/// The columns of a rule table.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    names: Vec<String>,
    /// Columns of the plugin's form the daemon cannot write.
    unplaced: Vec<String>,
}

impl Columns {
    /// Columns `names` accepted, and `unplaced` refused as unwritable.
    pub fn new(names: Vec<String>, unplaced: Vec<String>) -> Self {
        Self { names, unplaced }
    }

    /// The columns accepted.
    pub fn names(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// Whether `name` is a column accepted.
    pub fn accepts(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Whether `name` is a column of the form the daemon cannot write.
    pub fn unplaced(&self, name: &str) -> bool {
        self.unplaced.iter().any(|n| n == name)
    }

    /// The columns of the form the daemon cannot write.
    pub fn unplaced_names(&self) -> &[String] {
        &self.unplaced
    }
}
