//! Who acts: the user stamped in audit fields, and the locale they read.

/// Who acts, and in which language they want messages.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user name stamped in audit fields.
    pub user: String,
    /// BCP 47 locale for captions and messages.
    pub locale: String,
}
