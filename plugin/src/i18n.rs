//! Locales and translated text. English is the fallback for any locale the
//! plugin does not know.

/// A locale the plugin has captions and messages for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    /// English.
    En,
    /// Indonesian (Bahasa Indonesia), the edition seed 001 describes.
    Id,
}

impl Locale {
    /// The locale for a BCP 47 tag: `id`, `id-ID` and the legacy `in` are
    /// Indonesian; everything else, including garbage, is English.
    pub fn from_tag(tag: &str) -> Self {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("id") || primary.eq_ignore_ascii_case("in") {
            Locale::Id
        } else {
            Locale::En
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
}
