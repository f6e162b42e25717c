//! What planning works on: the stored groups' places in the tree, and the
//! questions for the plugin.

/// What planning keeps of every stored group: its place in the tree.
pub struct Stored {
    /// Its version.
    pub version: i64,
    /// Its parent.
    pub parent: Option<String>,
}

/// One question for the plugin.
pub enum Work {
    /// A declaration, new or replacing a stored group.
    Declared {
        /// Its index in the config.
        decl: usize,
        /// Whether it replaces a stored group.
        existing: bool,
    },
    /// An owned group no file declares any more: may it go inactive?
    Removed {
        /// The group.
        code: Box<str>,
    },
}
