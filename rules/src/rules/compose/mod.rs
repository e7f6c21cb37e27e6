//! Compose rules, one file each, and the helpers they share.

mod database_port_on_all_interfaces;
mod docker_socket_mounted;
mod duplicate_key;
mod no_build_and_image;
mod no_version_field;
mod privileged_container;
mod typographic_quotes;
mod yaml11_boolean_or_base60;

use crate::compose::{Key, Node};
use crate::engine::{ComposeRule, Diagnostic};
use crate::text::Span;

/// Every Compose rule, in code order.
pub static RULES: &[&dyn ComposeRule] = &[
    &duplicate_key::DuplicateKey,
    &no_version_field::NoVersionField,
    &yaml11_boolean_or_base60::Yaml11BooleanOrBase60,
    &typographic_quotes::TypographicQuotes,
    &no_build_and_image::NoBuildAndImage,
    &privileged_container::PrivilegedContainer,
    &docker_socket_mounted::DockerSocketMounted,
    &database_port_on_all_interfaces::DatabasePortOnAllInterfaces,
];

/// Where to report a finding about `key: value` of the resolved view: the
/// entry itself when written in place, else the alias or `<<` that brought it
/// in (and the place it was written, for a related note).
pub(crate) fn place(key: &Key, value: &Node) -> (Span, Option<Span>) {
    match value.via.or(key.via) {
        Some(via) => (via, Some(key.span.cover(value.span))),
        None => (key.span.cover(value.span), None),
    }
}

/// Same for a node without a key (a sequence item).
pub(crate) fn place_node(node: &Node) -> (Span, Option<Span>) {
    match node.via {
        Some(via) => (via, Some(node.span)),
        None => (node.span, None),
    }
}

pub(crate) fn with_written(d: Diagnostic, written: Option<Span>) -> Diagnostic {
    match written {
        Some(w) => d.with_related(w, "written here"),
        None => d,
    }
}

/// Visit every node of a tree (depth is bounded by the parser).
pub(crate) fn walk<'a>(n: &'a Node, f: &mut dyn FnMut(Option<&'a Key>, &'a Node)) {
    fn go<'a>(k: Option<&'a Key>, n: &'a Node, f: &mut dyn FnMut(Option<&'a Key>, &'a Node)) {
        f(k, n);
        match &n.kind {
            crate::compose::Kind::Map(e) => e.iter().for_each(|(k, v)| go(Some(k), v, f)),
            crate::compose::Kind::Seq(items) => items.iter().for_each(|v| go(None, v, f)),
            _ => {}
        }
    }
    go(None, n, f)
}

/// Quote a string for YAML: double quotes when nothing needs escaping, else single.
pub(crate) fn yaml_quote(s: &str) -> String {
    if !s.contains(['"', '\\']) && !s.chars().any(char::is_control) {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}
