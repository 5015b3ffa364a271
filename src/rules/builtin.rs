//! The built-in rule files, compiled into the binary. A test in `tests/rule_data.rs` checks that
//! every `rules/*.toml` is listed here.

macro_rules! rule_files {
    ($($name:literal),* $(,)?) => {
        /// `(name, text)` of every built-in rule file, sorted by name.
        pub(crate) const FILES: &[(&str, &str)] = &[
            $((concat!("rules/", $name, ".toml"), include_str!(concat!("../../rules/", $name, ".toml"))),)*
        ];
    };
}

rule_files![
    "ads", "appeal", "cookie", "footer", "lang", "meta", "nav", "photo", "quotes", "related",
    "share", "ticker", "wire",
];
