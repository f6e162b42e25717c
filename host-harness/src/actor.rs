//! Who acts: the user stamped in audit fields and the change history,
//! through what program, and the locale they read.

/// Who acts, through what, and in which language they want messages.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user name stamped in audit fields.
    pub user: String,
    /// BCP 47 locale for captions and messages.
    pub locale: String,
    /// The program they act through, as the change history records it.
    pub via: Via,
}

impl Actor {
    /// Who makes a change, as the store records it (no file named).
    pub fn by(&self) -> By<'_> {
        By {
            user: &self.user,
            via: self.via,
            source: None,
        }
    }
}

/// Through what a change was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// `erp-host`'s commands.
    Cli,
    /// The web console.
    Console,
    /// `erp-sync`, applying a file.
    Daemon,
}

impl Via {
    /// Every program, in the order the store's CHECK lists them.
    pub const ALL: [Via; 3] = [Via::Cli, Via::Console, Via::Daemon];

    /// The name the store keeps and the CLI prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Cli => "cli",
            Via::Console => "console",
            Via::Daemon => "daemon",
        }
    }

    /// The program named `text` ([`Via::as_str`]).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

impl By<'_> {
    /// The store's one-call methods that name no user (sample data,
    /// tests): the host program itself, through the CLI.
    pub const HOST: By<'static> = By {
        user: "erp-host",
        via: Via::Cli,
        source: None,
    };
}

impl<'a> By<'a> {
    /// `user`, through the CLI, no file named: the store's one-call methods
    /// that take only a user name.
    pub fn cli(user: &'a str) -> Self {
        Self {
            user,
            via: Via::Cli,
            source: None,
        }
    }
}

/// Who makes one change, through what, and what caused it when there is a
/// file to name (the daemon's): what the change history records beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct By<'a> {
    /// The user stamped.
    pub user: &'a str,
    /// The program.
    pub via: Via,
    /// The file that declared the change.
    pub source: Option<&'a str>,
}
