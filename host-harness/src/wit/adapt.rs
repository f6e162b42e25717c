//! Converting a value between two versions' copies of a contract type.
//!
//! Each binding module generates its own Rust types, so the 0.4.0 `account`
//! and the current `account` are different types even where the WIT is the
//! same. [`Adapt`] converts one into the other; the macros write it for
//! records and enums whose fields or cases are the same in both versions
//! (listing every field: a field missing on either side does not compile),
//! and the version's module writes the rest by hand.

/// A value of one contract version as the same value of another.
pub(crate) trait Adapt<T> {
    /// The value as `T`.
    fn adapt(self) -> T;
}

macro_rules! same_type {
    ($($t:ty),*) => {$(
        impl Adapt<$t> for $t {
            fn adapt(self) -> $t {
                self
            }
        }
    )*};
}
same_type!(bool, u8, u32, u64, i64, String);

impl<A: Adapt<B>, B> Adapt<Option<B>> for Option<A> {
    fn adapt(self) -> Option<B> {
        self.map(Adapt::adapt)
    }
}

impl<A: Adapt<B>, B> Adapt<Vec<B>> for Vec<A> {
    fn adapt(self) -> Vec<B> {
        self.into_iter().map(Adapt::adapt).collect()
    }
}

impl<A: Adapt<C>, B: Adapt<D>, C, D> Adapt<(C, D)> for (A, B) {
    fn adapt(self) -> (C, D) {
        (self.0.adapt(), self.1.adapt())
    }
}

impl<A: Adapt<C>, B: Adapt<D>, C, D> Adapt<Result<C, D>> for Result<A, B> {
    fn adapt(self) -> Result<C, D> {
        self.map(Adapt::adapt).map_err(Adapt::adapt)
    }
}

/// [`Adapt`] between records of modules `$a` and `$b` that have the same
/// fields: `=>` one way, `<=>` both ways.
macro_rules! records {
    ($a:ident => $b:ident: $($name:ident { $($field:ident),* $(,)? })*) => {$(
        impl $crate::wit::adapt::Adapt<$b::$name> for $a::$name {
            fn adapt(self) -> $b::$name {
                let $a::$name { $($field),* } = self;
                $b::$name { $($field: $crate::wit::adapt::Adapt::adapt($field)),* }
            }
        }
    )*};
    ($a:ident <=> $b:ident: $($name:ident { $($field:ident),* $(,)? })*) => {
        $crate::wit::adapt::records!($a => $b: $($name { $($field),* })*);
        $crate::wit::adapt::records!($b => $a: $($name { $($field),* })*);
    };
}

/// [`Adapt`] between enums of modules `$a` and `$b` that have the same
/// cases, both ways.
macro_rules! enums {
    ($a:ident <=> $b:ident: $($name:ident { $($case:ident),* $(,)? })*) => {$(
        impl $crate::wit::adapt::Adapt<$b::$name> for $a::$name {
            fn adapt(self) -> $b::$name {
                match self {
                    $($a::$name::$case => $b::$name::$case),*
                }
            }
        }
        impl $crate::wit::adapt::Adapt<$a::$name> for $b::$name {
            fn adapt(self) -> $a::$name {
                match self {
                    $($b::$name::$case => $a::$name::$case),*
                }
            }
        }
    )*};
}

/// [`Adapt`] between variants of modules `$a` and `$b` that have the same
/// cases, each with no payload or one that adapts: `=>` one way, `<=>`
/// both ways.
macro_rules! variants {
    ($a:ident => $b:ident: $($name:ident { $($case:ident $(($x:ident))?),* $(,)? })*) => {$(
        impl $crate::wit::adapt::Adapt<$b::$name> for $a::$name {
            fn adapt(self) -> $b::$name {
                match self {
                    $($a::$name::$case $(($x))? =>
                        $b::$name::$case $(($crate::wit::adapt::Adapt::adapt($x)))?),*
                }
            }
        }
    )*};
    ($a:ident <=> $b:ident: $($name:ident { $($case:ident $(($x:ident))?),* $(,)? })*) => {
        $crate::wit::adapt::variants!($a => $b: $($name { $($case $(($x))?),* })*);
        $crate::wit::adapt::variants!($b => $a: $($name { $($case $(($x))?),* })*);
    };
}

/// The `host` interface of an earlier version whose functions are today's
/// (`$old_host`, its types in `$old_types`): [`Older`] answers each through
/// the current implementation, its arguments and results adapted.
macro_rules! same_host {
    ($old_host:ident, $old_types:ident) => {
        impl<T> $old_types::Host for $crate::wit::adapt::Older<'_, T> {}

        impl<T: $crate::wit::bindings::erp::customer_group::host::Host> $old_host::Host
            for $crate::wit::adapt::Older<'_, T>
        {
            fn find_account(
                &mut self,
                code: String,
            ) -> wasmtime::Result<Option<$old_types::Account>> {
                $crate::wit::bindings::erp::customer_group::host::Host::find_account(self.0, code)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
            fn find_group(
                &mut self,
                code: String,
            ) -> wasmtime::Result<Option<$old_types::CustomerGroup>> {
                $crate::wit::bindings::erp::customer_group::host::Host::find_group(self.0, code)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
            fn find_group_named(
                &mut self,
                name: String,
                except_code: String,
            ) -> wasmtime::Result<Option<String>> {
                $crate::wit::bindings::erp::customer_group::host::Host::find_group_named(
                    self.0,
                    name,
                    except_code,
                )
            }
            fn find_groups(
                &mut self,
                codes: Vec<String>,
            ) -> wasmtime::Result<Vec<Option<$old_types::CustomerGroup>>> {
                $crate::wit::bindings::erp::customer_group::host::Host::find_groups(self.0, codes)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
            fn find_groups_named(
                &mut self,
                questions: Vec<(String, String)>,
            ) -> wasmtime::Result<Vec<Option<String>>> {
                $crate::wit::bindings::erp::customer_group::host::Host::find_groups_named(
                    self.0, questions,
                )
            }
            fn reference_exists(
                &mut self,
                kind: $old_types::ReferenceKind,
                code: String,
            ) -> wasmtime::Result<bool> {
                $crate::wit::bindings::erp::customer_group::host::Host::reference_exists(
                    self.0,
                    $crate::wit::adapt::Adapt::adapt(kind),
                    code,
                )
            }
            fn usage(&mut self, code: String) -> wasmtime::Result<$old_types::GroupUsage> {
                $crate::wit::bindings::erp::customer_group::host::Host::usage(self.0, code)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
            fn child_groups(&mut self, code: String) -> wasmtime::Result<Vec<String>> {
                $crate::wit::bindings::erp::customer_group::host::Host::child_groups(self.0, code)
            }
            fn customers(&mut self, group: String) -> wasmtime::Result<Vec<$old_types::Customer>> {
                $crate::wit::bindings::erp::customer_group::host::Host::customers(self.0, group)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
            fn ar_settings(&mut self) -> wasmtime::Result<$old_types::Settings> {
                $crate::wit::bindings::erp::customer_group::host::Host::ar_settings(self.0)
                    .map($crate::wit::adapt::Adapt::adapt)
            }
        }
    };
}

/// [`Adapt`] from `$a` to `$c` by way of `$b`, for types with both steps:
/// a version adapts to the one after it, and through it to today's.
macro_rules! through {
    ($a:ident => $b:ident => $c:ident: $($name:ident),* $(,)?) => {$(
        impl $crate::wit::adapt::Adapt<$c::$name> for $a::$name {
            fn adapt(self) -> $c::$name {
                let step: $b::$name = $crate::wit::adapt::Adapt::adapt(self);
                $crate::wit::adapt::Adapt::adapt(step)
            }
        }
    )*};
}

pub(crate) use {enums, records, same_host, through, variants};

/// An earlier version's `host` imports answered by the current `host`
/// implementation `T` (the runtime's): the same questions, the types
/// adapted both ways (each version module implements its `host` trait for
/// it). Whatever the current implementation promises (facts constant
/// during a call, answered from a memo or a snapshot) holds for older
/// plugins too.
pub(crate) struct Older<'a, T>(pub(crate) &'a mut T);

/// [`Older`] as the linker's view of a store's data.
pub(crate) struct OlderHost<T>(std::marker::PhantomData<T>);

impl<T: 'static> wasmtime::component::HasData for OlderHost<T> {
    type Data<'a> = Older<'a, T>;
}

/// A plugin returned a value its contract does not allow: a 0.4.0 string
/// outside what 0.4.0 allowed where the current version has a type (so it
/// has no counterpart), or spans outside what it returned.
#[derive(Debug, thiserror::Error)]
#[error(
    "the plugin (built against {package}@{version}) returned {what} {value:?}, \
     which its contract does not allow"
)]
pub struct ContractViolation {
    /// The contract's package.
    pub package: &'static str,
    /// The plugin's contract version.
    pub version: &'static str,
    /// What the value is, e.g. `discount-offer.rule`.
    pub what: &'static str,
    /// The value.
    pub value: String,
}
