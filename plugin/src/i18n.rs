//! Locales and translated text. English is the fallback for any locale the
//! plugin does not know.
//!
//! This file is the one source of the locales the system speaks and of how
//! a tag is read: the host compiles it too (`host-harness/src/lib.rs`
//! includes it as `host_harness::i18n`), so it may use nothing but `core`,
//! `alloc` and `std`. The host refuses a tag [`Locale::parse`] does not know;
//! the plugin, called with any tag, falls back to English ([`Locale::from_tag`]).

/// A locale the plugin has captions and messages for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    /// English.
    En,
    /// Indonesian (Bahasa Indonesia), the edition seed 001 describes.
    Id,
}

impl Locale {
    /// Every locale, in the order help lists them.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Id];

    /// The locale a BCP 47 tag names, by its primary language subtag (any
    /// case, `-` or `_` before a region): `en`, `en-GB`; `id`, `id-ID` and
    /// the legacy `in`. `None` for any other language, and for garbage.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else if primary.eq_ignore_ascii_case("id") || primary.eq_ignore_ascii_case("in") {
            Some(Locale::Id)
        } else {
            None
        }
    }

    /// The locale for a BCP 47 tag, as [`Locale::parse`] reads it; English
    /// for everything else, including garbage.
    pub fn from_tag(tag: &str) -> Self {
        Self::parse(tag).unwrap_or(Locale::En)
    }

    /// The language's name, in itself (for help and error messages).
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Id => "Bahasa Indonesia",
        }
    }

    /// The canonical tag of this locale.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Id => "id",
        }
    }
}

/// A caption in every locale the plugin supports.
#[derive(Clone, Copy, Debug)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Indonesian.
    pub id: &'static str,
}

impl Text {
    /// The caption in `locale`.
    pub fn get(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.en,
            Locale::Id => self.id,
        }
    }
}

/// Shorthand for a [`Text`] constant.
pub const fn t(en: &'static str, id: &'static str) -> Text {
    Text { en, id }
}

/// A message with arguments in the caller's locale: `msg!(locale, "en {x}", "id {x}")`.
macro_rules! msg {
    ($locale:expr, $en:literal, $id:literal $(,)?) => {
        match $locale {
            $crate::i18n::Locale::En => format!($en),
            $crate::i18n::Locale::Id => format!($id),
        }
    };
}
pub(crate) use msg;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_fall_back_to_english() {
        for (tag, want) in [
            ("id", Locale::Id),
            ("ID-id", Locale::Id),
            ("id_ID", Locale::Id),
            ("in", Locale::Id),
            ("en-GB", Locale::En),
            ("", Locale::En),
            ("fr", Locale::En),
            ("idx", Locale::En),
        ] {
            assert_eq!(Locale::from_tag(tag), want, "{tag:?}");
        }
    }

    #[test]
    fn parse_knows_only_the_locales_there_are() {
        for (tag, want) in [
            ("en", Some(Locale::En)),
            ("EN-gb", Some(Locale::En)),
            ("id-ID", Some(Locale::Id)),
            ("in", Some(Locale::Id)),
            ("", None),
            ("fr", None),
            ("idx", None),
            ("english", None),
        ] {
            assert_eq!(Locale::parse(tag), want, "{tag:?}");
        }
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.tag()), Some(locale));
        }
    }
}
