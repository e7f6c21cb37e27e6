//! Regressions found by the LSP soak test (`lsp_soak.rs`) and the
//! `lsp_framing` fuzz target (`fuzz/fuzz_targets/lsp_framing.rs`), driven
//! end to end through `berth lsp`.

use berth_tests::lsp_client::LspClient;
use berth_tests::root;
use serde_json::json;

// ----- found by the lsp_framing fuzz target -----

/// Frame A announced longer than it is, running `over` bytes into frame B
/// (a request for an unknown method, id 77); `over` is counted from the start
/// of B's frame to just past `cut` bytes into its first non-ASCII character.
fn overrun(cut: usize) -> Vec<u8> {
    let a = br#"{"jsonrpc":"2.0","method":"$/soak"}"#;
    let b = r#"{"jsonrpc":"2.0","id":77,"method":"berth/x😀y"}"#.as_bytes();
    let b_frame = berth_tests::lsp_client::frame(b);
    let emoji = b_frame.iter().position(|&x| x >= 0x80).expect("a non-ASCII byte");
    let mut input = format!("Content-Length: {}\r\n\r\n", a.len() + emoji + cut).into_bytes();
    input.extend_from_slice(a);
    input.extend_from_slice(&b_frame);
    input
}

fn answers_77(input: &[u8]) {
    let mut c = LspClient::start(&root(), &[]);
    c.initialize_default();
    c.send_raw(input);
    let r = c.response(77);
    assert_eq!(r["error"]["code"], -32601, "the request after the overrun is read intact: {r}");
    assert!(c.shutdown().success());
}

/// A `Content-Length` that runs into the next frame: the next frame is read
/// again from where the first message ends.
#[test]
fn overrun_into_the_next_frame_is_recovered() {
    answers_77(&overrun(0));
}

/// The same, when the overrun ends inside a multi-byte character of the next
/// body: `Framer::decode` used to read the body lossily (U+FFFD for the
/// partial character) and put back the bytes of that lossy string, not the
/// original ones, so the next frame's body no longer matched its
/// `Content-Length` and the request was lost (answered with a parse error, id
/// null). It now puts back the original bytes. Fuzz crash `crash-a3f9d31c…`
/// of `lsp_framing`.
#[test]
fn overrun_cutting_a_character_keeps_the_next_message() {
    for cut in 1..4 {
        answers_77(&overrun(cut));
    }
}

// ----- found by the soak test -----

/// Hover in a Compose file that is one plain scalar, at a place before the
/// scalar (a comment, blank line or indentation ahead of it): the hover
/// handler panicked (`offset - node.span.start` underflows in
/// `rules/ide/src/ide/compose/hover.rs`, `tree_hover`, because `locate` returns a root
/// scalar without checking that it holds the offset), answered as an
/// internal error.
#[test]
fn hover_before_a_compose_file_that_is_one_scalar() {
    let mut c = LspClient::start(&root(), &[]);
    c.initialize_default();
    for (i, text) in ["# c\nfoo\n", "  foo", "\nfoo"].into_iter().enumerate() {
        let uri = format!("untitled:lone-scalar-{i}");
        c.open(&uri, "dockercompose", 1, text);
        c.diagnostics(&uri, Some(1));
        let r = c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        );
        assert_ne!(r["error"]["code"], -32603, "hover in {text:?} at 0:0 failed: {r}; stderr: {}", c.stderr());
    }
    assert!(c.shutdown().success());
}
