//! Turning a fuzzer's bytes into values: mostly from pools of interesting
//! values (sample codes, edge-case dates and amounts, characters that change
//! length when upper-cased), sometimes arbitrary. Never fails: once the bytes
//! run out every choice is the first of its pool.

use arbitrary::Unstructured;
use host_harness::fields::{self, Column, Field, Shape, Value};
use host_harness::wit::{PeriodUnit, Settings};

/// Group codes: the sample company's, forms a person might type, and invalid ones.
pub const CODES: &[&str] = &[
    "NEW1",
    "0000",
    "LOKAL",
    "L001",
    "VIP",
    "EXPO",
    "EXPORT",
    "NODE2",
    "D1",
    "JP",
    "NEW1",
    "NEW2",
    "A",
    "B",
    "l001",
    " vip ",
    "",
    " ",
    "A-1",
    "TOOLONG99",
    "12345678",
    "ß",
    "ﬃ",
    "ı",
    "0",
    "\t0000\n",
];

/// Names: ordinary, blank, too long, with control or odd characters.
pub const NAMES: &[&str] = &[
    "Lokal 1",
    "VIP Customers",
    "New group",
    "",
    "   ",
    " padded ",
    "a\u{7}bell",
    "tab\there",
    "line\nbreak",
    "\u{202e}reversed",
    "emoji 🙂",
    "İstanbul",
    "\u{0}",
];

/// Accounts of the sample chart (see `host_harness::sample::ACCOUNTS`), the
/// fixtures' extra ones (`8000` inactive expense, `1190` receivable), and
/// unknown codes.
pub const ACCOUNTS: &[&str] = &[
    "1000", "1010", "1100", "1110", "1190", "1200", "2100", "2200", "3000", "4000", "4100", "5100",
    "6100", "6200", "7900", "8000", "9999", "", " 1100 ", "1100\n",
];

/// Currencies: the host's, unknown ones, odd spellings.
pub const CURRENCIES: &[&str] = &["IDR", "USD", "JPY", "SGD", "idr", " USD ", "XXX", ""];

/// Reference codes of every kind, and unknown ones.
pub const REFERENCES: &[&str] = &[
    "Standard Selling",
    "Wholesale",
    "VIP",
    "RETAIL",
    "WHOLESALE",
    "NET30",
    "NET14",
    "COD",
    "DOMESTIC",
    "EXPORT",
    "PPN11",
    "ZERO",
    "GIFT-MUG",
    "GIFT-BAG",
    "vip",
    "NOPE",
    "",
];

/// Peppol EAS codes: real, unknown, malformed.
pub const EAS: &[&str] = &["0088", "0060", "9915", "0000", "88", "ABCD", ""];

/// Dates: ordinary, leap days, out of range, malformed.
pub const DATES: &[&str] = &[
    "2026-01-01",
    "2026-03-01",
    "2026-03-31",
    "2026-11-01",
    "2026-12-31",
    "2024-02-29",
    "2026-02-29",
    "2100-02-29",
    "2000-02-29",
    "1900-01-01",
    "1899-12-31",
    "9999-12-31",
    "0000-00-00",
    "2026-13-01",
    "2026-04-31",
    "2026-1-1",
    "2026-01-01T00:00:00",
    "",
    "not a date",
    "２０２６-０１-０１",
];

/// Amounts in minor units: ordinary and at the edges of `i64`.
pub const AMOUNTS: &[i64] = &[
    1_110_000,
    0,
    1,
    -1,
    2,
    99,
    100,
    12_345,
    110_000,
    5_000_000_000,
    1 << 31,
    -(1 << 31),
    (1 << 31) - 1,
    1 << 53,
    i64::MAX / 1000,
    i64::MAX / 2,
    i64::MAX / 2 + 1,
    i64::MAX - 1,
    i64::MAX,
    i64::MIN + 1,
    i64::MIN,
];

/// Rates in billionths: one, zero, tiny, huge.
pub const RATES: &[u64] = &[
    1_000_000_000,
    0,
    1,
    2,
    333_333_333,
    500_000_000,
    999_999_999,
    1_000_000_001,
    15_500_000_000_000,
    1 << 31,
    1 << 32,
    1_000_000_000_000_000_000,
    i64::MAX as u64,
    u64::MAX,
];

/// Small counts (due counts, days, quantities) and edges of `u32`.
pub const COUNTS: &[u32] = &[
    14,
    0,
    1,
    2,
    7,
    12,
    13,
    28,
    30,
    31,
    32,
    36,
    37,
    104,
    105,
    999,
    1000,
    u32::MAX,
];

/// Percentages in basis points.
pub const PERCENTS: &[u32] = &[250, 0, 1, 200, 300, 500, 9_999, 10_000, 10_001, u32::MAX];

/// Locales: known, with region, unknown, blank.
pub const LOCALES: &[&str] = &["en", "id", "id-ID", "", "xx", "EN"];

/// Characters for arbitrary text: ASCII, blanks, controls, and characters
/// whose case mapping changes length or leaves ASCII.
const CHARS: &[char] = &[
    'A',
    'B',
    'Z',
    'a',
    'z',
    '0',
    '1',
    '9',
    ' ',
    '-',
    '_',
    '.',
    '\t',
    '\n',
    '\r',
    '\u{0}',
    '\u{7f}',
    '"',
    '\\',
    '\'',
    '#',
    '=',
    '[',
    ']',
    '{',
    '}',
    'ß',
    'ﬃ',
    'ı',
    'İ',
    'ǅ',
    'é',
    '\u{300}',
    '\u{200b}',
    '\u{202e}',
    '\u{feff}',
    '🙂',
    '\u{10ffff}',
];

/// The bytes being read.
pub struct Gen<'a> {
    u: Unstructured<'a>,
}

impl<'a> Gen<'a> {
    /// Reads `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            u: Unstructured::new(data),
        }
    }

    /// A byte (0 once the bytes run out).
    pub fn byte(&mut self) -> u8 {
        self.u.arbitrary().unwrap_or(0)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.u.int_in_range(0..=n - 1).unwrap_or(0)
    }

    /// True with probability `per256`/256, and once the bytes run out: for
    /// the usual branch of a choice.
    pub fn chance(&mut self, per256: u16) -> bool {
        u16::from(self.byte()) < per256
    }

    /// True with probability `per256`/256, false once the bytes run out: for
    /// the unusual branch of a choice.
    pub fn maybe(&mut self, per256: u16) -> bool {
        u16::from(self.byte()) >= 256 - per256.min(256)
    }

    /// One of `pool` (not empty).
    pub fn pick<T: Clone>(&mut self, pool: &[T]) -> T {
        let i = self.below(pool.len());
        pool[i].clone()
    }

    /// An arbitrary `i64`.
    pub fn i64(&mut self) -> i64 {
        self.u.arbitrary().unwrap_or(0)
    }

    /// An arbitrary `u64`.
    pub fn u64(&mut self) -> u64 {
        self.u.arbitrary().unwrap_or(0)
    }

    /// An arbitrary `u32`.
    pub fn u32(&mut self) -> u32 {
        self.u.arbitrary().unwrap_or(0)
    }

    /// Arbitrary text of up to `max` characters, mostly from [`CHARS`].
    pub fn raw_text(&mut self, max: usize) -> String {
        let len = self.below(max + 1);
        (0..len)
            .map(|_| {
                if self.chance(200) {
                    self.pick(CHARS)
                } else {
                    char::from_u32(self.u32() % 0x11_0000).unwrap_or('\u{fffd}')
                }
            })
            .collect()
    }

    /// Mostly one of `pool`, sometimes arbitrary text.
    pub fn text(&mut self, pool: &[&str]) -> String {
        if self.chance(210) {
            self.pick(pool).to_owned()
        } else {
            self.raw_text(12)
        }
    }

    /// A group name, mostly from [`NAMES`]; sometimes exactly at or just
    /// over the 60-character limit.
    pub fn name(&mut self) -> String {
        match self.below(16) {
            0 => "N".repeat(60),
            1 => "é".repeat(61),
            _ => self.text(NAMES),
        }
    }

    /// Like [`Gen::text`], absent a quarter of the time.
    pub fn opt_text(&mut self, pool: &[&str]) -> Option<String> {
        if self.chance(192) {
            Some(self.text(pool))
        } else {
            None
        }
    }

    /// Mostly one of `fitting` (what the setting accepts), else like
    /// [`Gen::opt_text`] from `pool`.
    pub fn setting(&mut self, fitting: &[&str], pool: &[&str]) -> Option<String> {
        if self.chance(192) {
            Some(self.pick(fitting).to_owned())
        } else {
            self.opt_text(pool)
        }
    }

    /// A date, mostly from [`DATES`], sometimes built from numbers.
    pub fn date(&mut self) -> String {
        match self.below(8) {
            0..=5 => self.pick(DATES).to_owned(),
            6 => {
                let (y, m, d) = (1890 + self.below(250), self.below(14), self.below(33));
                format!("{y:04}-{m:02}-{d:02}")
            }
            _ => self.raw_text(12),
        }
    }

    /// An amount in minor units, mostly from [`AMOUNTS`].
    pub fn amount(&mut self) -> i64 {
        if self.chance(220) {
            self.pick(AMOUNTS)
        } else {
            self.i64()
        }
    }

    /// A rate in billionths, mostly from [`RATES`].
    pub fn rate(&mut self) -> u64 {
        if self.chance(220) {
            self.pick(RATES)
        } else {
            self.u64()
        }
    }

    /// A count, mostly from [`COUNTS`].
    pub fn count(&mut self) -> u32 {
        if self.chance(230) {
            self.pick(COUNTS)
        } else {
            self.u32()
        }
    }

    /// A percentage in basis points, mostly from [`PERCENTS`].
    pub fn percent(&mut self) -> u32 {
        if self.chance(230) {
            self.pick(PERCENTS)
        } else {
            self.u32()
        }
    }

    /// A period unit.
    pub fn unit(&mut self) -> PeriodUnit {
        self.pick(&[PeriodUnit::Days, PeriodUnit::Weeks, PeriodUnit::Months])
    }

    fn valid_to(&mut self) -> Option<String> {
        if self.chance(128) {
            None
        } else {
            Some(self.date())
        }
    }

    fn rows<T>(&mut self, mut row: impl FnMut(&mut Self) -> T) -> Option<Vec<T>> {
        if self.maybe(32) {
            return None;
        }
        let n = self.below(4);
        Some((0..n).map(|_| row(self)).collect())
    }

    /// A settings record: each setting absent (inherit) most of the time.
    pub fn settings(&mut self) -> Settings {
        let mut s = Settings::inherit_all();
        let n = self.below(8);
        for _ in 0..n {
            self.set_one(&mut s);
        }
        s
    }

    /// Sets (or clears) one arbitrary setting of the host's field table,
    /// each of its fields generated by its shape (text mostly from what
    /// fits that setting, [`fitting`]).
    pub fn set_one(&mut self, s: &mut Settings) {
        let clear = self.maybe(40);
        let settings = fields::settings();
        let setting = settings[self.below(settings.len())];
        let parts: Vec<&'static Field> = fields::fields_of(setting).collect();
        if let [field] = parts.as_slice() {
            let value = self.whole(field, clear);
            // Generated by the field's own shape: it fits.
            let _ = field.set_setting(s, value);
        } else if clear {
            fields::clear_setting(s, setting);
        } else {
            for field in parts {
                let value = self.part(field);
                let _ = field.set_setting(s, value);
            }
        }
    }

    /// A value of a setting of one field (`None` clears it).
    fn whole(&mut self, field: &Field, clear: bool) -> Option<Value> {
        match field.shape {
            Shape::Text => {
                let (fitting, pool) = fitting(field.name);
                self.setting(fitting, pool).map(Value::Text)
            }
            Shape::Rows(rules) => self
                .rows(|g| {
                    rules
                        .columns()
                        .iter()
                        .map(|column| g.cell(column))
                        .collect()
                })
                .map(Value::Rows),
            _ if clear => None,
            _ => self.part(field),
        }
    }

    /// A value of a part of a setting (or of a setting of one field).
    fn part(&mut self, field: &Field) -> Option<Value> {
        match field.shape {
            Shape::Money => Some(Value::Money(self.amount())),
            Shape::Count => Some(Value::Count(self.count())),
            Shape::Percent => Some(Value::Percent(self.percent())),
            Shape::Unit => Some(Value::Unit(self.unit())),
            Shape::Day => {
                if self.chance(160) {
                    None
                } else {
                    Some(Value::Day(self.pick(&[0, 1, 15, 20, 28, 31, 32, 255])))
                }
            }
            Shape::Flag => Some(Value::Flag(self.maybe(128))),
            Shape::Text | Shape::Date | Shape::Rows(_) => self.whole(field, false),
        }
    }

    /// A cell of a rule table's column.
    fn cell(&mut self, column: &Column) -> Option<Value> {
        Some(match column.shape {
            Shape::Date if !column.required => return self.valid_to().map(Value::Date),
            Shape::Date => Value::Date(self.date()),
            Shape::Money => Value::Money(self.amount()),
            Shape::Percent => Value::Percent(self.percent()),
            Shape::Count | Shape::Day => Value::Count(self.count()),
            Shape::Unit => Value::Unit(self.unit()),
            Shape::Flag => Value::Flag(self.maybe(128)),
            Shape::Text | Shape::Rows(_) => Value::Text(self.text(REFERENCES)),
        })
    }
}

/// What mostly fits the text setting `name` (the accounts of a fitting
/// kind, references that exist), and the pool of anything else: hints for
/// the generator, not a list of the settings (a text setting it has no
/// hint for gets references).
pub fn fitting(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    const RECEIVABLE: &[&str] = &["1100", "1110", "1190"];
    const INCOME_EXPENSE: &[&str] = &["5100", "4100", "6200", "4000", "6100"];
    const EXPENSE: &[&str] = &["6100", "5100", "6200"];
    const BANK: &[&str] = &["1000", "1010"];
    match name {
        "currency" => (&["IDR", "USD", "JPY"], CURRENCIES),
        "receivable-account" => (RECEIVABLE, ACCOUNTS),
        "reward-expense-account" => (EXPENSE, ACCOUNTS),
        "bank-account" => (BANK, ACCOUNTS),
        n if n.ends_with("-account") => (INCOME_EXPENSE, ACCOUNTS),
        "price-list" => (&["Standard Selling", "Wholesale", "VIP"], REFERENCES),
        "price-code" => (&["RETAIL", "WHOLESALE"], REFERENCES),
        "payment-terms" => (&["NET30", "NET14", "COD"], REFERENCES),
        "tax-regime" => (&["DOMESTIC", "EXPORT"], REFERENCES),
        "gst-override" => (&["PPN11", "ZERO"], REFERENCES),
        "peppol-eas" => (&["0088", "0060"], EAS),
        _ => (&["RETAIL", "NET30"], REFERENCES),
    }
}
