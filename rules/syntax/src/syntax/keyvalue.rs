//! The key/value pairs of ENV, ARG and LABEL, with exact spans.

use super::dockerfile::{Instruction, Keyword};
use super::words;

pub use super::dockerfile::KeyValue;

impl Instruction {
    /// ENV, ARG and LABEL arguments as pairs: `k=v k2="v 2"`, or the legacy
    /// `k v...` (split on first use, then shared).
    pub fn key_values(&self) -> &[KeyValue] {
        self.derived().key_values.get_or_init(|| split(self))
    }
}

/// Split ENV/LABEL/ARG arguments into pairs: `k=v k2="v 2"` or legacy `k v...`.
fn split(inst: &Instruction) -> Vec<KeyValue> {
    let ws = inst.words();
    let mut out = Vec::new();
    if ws.is_empty() {
        return out;
    }
    let first_has_eq = ws[0].raw.contains('=');
    if !first_has_eq && inst.keyword != Keyword::Arg {
        // Legacy form: the first word is the key, the rest of the line is the value.
        let key = &ws[0];
        let value_start = ws.get(1).map(|w| w.logical.0);
        let (value, value_span) = match value_start {
            Some(s) => {
                let unq = ws[1..].iter().map(|w| w.value.as_str()).collect::<Vec<_>>().join(" ");
                (Some(unq), Some(inst.rest.span(s, inst.rest.text.trim_end().len())))
            }
            None => (None, None),
        };
        out.push(KeyValue { key: key.value.clone(), key_span: key.span, value, value_span, legacy: true });
        return out;
    }
    for w in ws {
        match w.raw.find('=') {
            Some(eq) => {
                let raw_key = &w.raw[..eq];
                let value = w.value.split_once('=').map(|(_, v)| v.to_string()).unwrap_or_default();
                // A key without quotes or escapes is its own value.
                let key = if raw_key.contains(['"', '\'', inst.escape]) {
                    words::split_words(&inst.rest.slice(w.logical.0, w.logical.0 + eq), inst.escape)
                        .first()
                        .map_or_else(|| raw_key.to_string(), |k| k.value.clone())
                } else {
                    raw_key.to_string()
                };
                out.push(KeyValue {
                    key,
                    key_span: inst.rest.span(w.logical.0, w.logical.0 + eq),
                    value: Some(value),
                    value_span: Some(inst.rest.span(w.logical.0 + eq + 1, w.logical.1)),
                    legacy: false,
                });
            }
            None => out.push(KeyValue {
                key: w.value.clone(),
                key_span: w.span,
                value: None,
                value_span: None,
                legacy: false,
            }),
        }
    }
    out
}
