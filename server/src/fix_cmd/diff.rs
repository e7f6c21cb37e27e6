//! A small line-based unified diff (`--- a/path`, `+++ b/path`, `@@ -l,n +l,n @@`
//! hunks with three lines of context), for `berth fix --diff`.
//!
//! Lines are compared with their line ending. The common head and tail are
//! trimmed first and the middle goes through Myers' O(ND) algorithm; when the
//! middle differs in more than [`MAX_EDIT_DISTANCE`] lines the diff replaces
//! the middle as one block, which stays a correct (if not minimal) patch.

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;
/// Beyond this many inserted plus deleted lines, stop looking for a minimal diff.
const MAX_EDIT_DISTANCE: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Old line index, new line index.
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// The unified diff from `old` to `new` for `path`, or an empty string when
/// they are the same.
pub fn unified(old: &str, new: &str, path: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = edit_script(&a, &b);
    let mut out = format!("--- a/{path}\n+++ b/{path}\n");
    for (start, end) in hunks(&ops) {
        write_hunk(&mut out, &ops[start..end], &a, &b);
    }
    out
}

fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut ops: Vec<Op> = (0..head).map(|i| Op::Equal(i, i)).collect();
    match myers(ma, mb) {
        Some(middle) => ops.extend(middle.into_iter().map(|op| match op {
            Op::Equal(i, j) => Op::Equal(i + head, j + head),
            Op::Delete(i) => Op::Delete(i + head),
            Op::Insert(j) => Op::Insert(j + head),
        })),
        None => {
            ops.extend((0..ma.len()).map(|i| Op::Delete(i + head)));
            ops.extend((0..mb.len()).map(|j| Op::Insert(j + head)));
        }
    }
    ops.extend((0..tail).map(|t| Op::Equal(a.len() - tail + t, b.len() - tail + t)));
    ops
}

/// Myers' shortest edit script, or `None` when it is longer than [`MAX_EDIT_DISTANCE`].
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<Op>> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = (a.len() + b.len()).min(MAX_EDIT_DISTANCE) as isize;
    let off = max + 1;
    let mut v = vec![0isize; 2 * max as usize + 3];
    // trace[d]: v[-(d+1)..=d+1] as it was before round d.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'rounds: for d in 0..=max {
        trace.push(v[(off - d - 1) as usize..=(off + d + 1) as usize].to_vec());
        let mut k = -d;
        while k <= d {
            let down = k == -d || (k != d && v[(off + k - 1) as usize] < v[(off + k + 1) as usize]);
            let mut x = if down { v[(off + k + 1) as usize] } else { v[(off + k - 1) as usize] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[(off + k) as usize] = x;
            if x >= n && y >= m {
                found = Some(d);
                break 'rounds;
            }
            k += 2;
        }
    }
    let depth = found?;
    let mut ops = Vec::new();
    let (mut x, mut y) = (n, m);
    for d in (0..=depth).rev() {
        let snap = &trace[d as usize];
        let at = |k: isize| snap[(k + d + 1) as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && at(k - 1) < at(k + 1)) { k + 1 } else { k - 1 };
        let prev_x = at(prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Equal((x - 1) as usize, (y - 1) as usize));
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            if x == prev_x {
                ops.push(Op::Insert((y - 1) as usize));
            } else {
                ops.push(Op::Delete((x - 1) as usize));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    Some(ops)
}

/// Ranges of `ops` that form hunks: each change with up to [`CONTEXT`] equal
/// lines around it, changes closer than twice that merged into one hunk.
fn hunks(ops: &[Op]) -> Vec<(usize, usize)> {
    let changes: Vec<usize> = (0..ops.len()).filter(|&i| !matches!(ops[i], Op::Equal(..))).collect();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &c in &changes {
        let start = c.saturating_sub(CONTEXT);
        let end = (c + 1 + CONTEXT).min(ops.len());
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => out.push((start, end)),
        }
    }
    out
}

fn write_hunk(out: &mut String, ops: &[Op], a: &[&str], b: &[&str]) {
    // Where the hunk starts in each file: the first line it covers there. A
    // hunk carries its neighbouring lines as context, so a side is empty only
    // when that whole file is (GNU diff then writes 0).
    let old_count = ops.iter().filter(|o| !matches!(o, Op::Insert(_))).count();
    let new_count = ops.iter().filter(|o| !matches!(o, Op::Delete(_))).count();
    let old_first = ops.iter().find_map(|o| match o {
        Op::Equal(i, _) | Op::Delete(i) => Some(*i),
        Op::Insert(_) => None,
    });
    let new_first = ops.iter().find_map(|o| match o {
        Op::Equal(_, j) | Op::Insert(j) => Some(*j),
        Op::Delete(_) => None,
    });
    let old_start = old_first.map_or(0, |i| i + 1);
    let new_start = new_first.map_or(0, |j| j + 1);
    out.push_str(&format!("@@ -{old_start},{old_count} +{new_start},{new_count} @@\n"));
    for op in ops {
        let (sign, line) = match *op {
            Op::Equal(i, _) => (' ', a[i]),
            Op::Delete(i) => ('-', a[i]),
            Op::Insert(j) => ('+', b[j]),
        };
        out.push(sign);
        match line.strip_suffix('\n') {
            Some(body) => {
                out.push_str(body);
                out.push('\n');
            }
            None => {
                out.push_str(line);
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, diff: &str) -> String {
        // A tiny patch applier, enough to check that hunks are consistent.
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut pos = 0usize;
        let mut lines = diff.lines().skip(2).peekable();
        while let Some(h) = lines.next() {
            assert!(h.starts_with("@@ -"), "{h}");
            let old_part = h[4..].split(' ').next().unwrap();
            let (start, count) = old_part.split_once(',').unwrap();
            let (start, count): (usize, usize) = (start.parse().unwrap(), count.parse().unwrap());
            let first = if count == 0 { start } else { start - 1 };
            while pos < first {
                out.push_str(a[pos]);
                pos += 1;
            }
            while let Some(l) = lines.peek() {
                if l.starts_with("@@") {
                    break;
                }
                let l = lines.next().unwrap();
                let no_eol = lines.peek().is_some_and(|n| n.starts_with('\\'));
                if no_eol {
                    lines.next();
                }
                let body = &l[1..];
                match &l[..1] {
                    " " => {
                        out.push_str(a[pos]);
                        pos += 1;
                    }
                    "-" => pos += 1,
                    "+" => {
                        out.push_str(body);
                        if !no_eol {
                            out.push('\n');
                        }
                    }
                    other => panic!("bad line start {other}"),
                }
            }
        }
        while pos < a.len() {
            out.push_str(a[pos]);
            pos += 1;
        }
        out
    }

    #[test]
    fn one_change_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        let d = unified(old, new, "Dockerfile");
        assert_eq!(d, "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
        assert_eq!(apply(old, &d), new);
    }

    #[test]
    fn far_changes_make_two_hunks_and_near_ones_merge() {
        let old: String = (1..=30).map(|i| format!("{i}\n")).collect();
        let new = old.replace("\n3\n", "\nthree\n").replace("\n25\n", "\n25\nextra\n");
        let d = unified(&old, &new, "f");
        assert_eq!(d.matches("@@ -").count(), 2, "{d}");
        assert_eq!(apply(&old, &d), new);
        let new = old.replace("\n5\n", "\nfive\n").replace("\n11\n", "\neleven\n");
        let d = unified(&old, &new, "f");
        assert_eq!(d.matches("@@ -").count(), 1, "{d}");
        assert!(d.contains("@@ -2,13 +2,13 @@"), "{d}");
        assert_eq!(apply(&old, &d), new);
    }

    #[test]
    fn edges() {
        assert_eq!(unified("a\n", "a\n", "f"), "");
        let d = unified("", "a\nb\n", "f");
        assert_eq!(d, "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n");
        let d = unified("a\nb\n", "", "f");
        assert_eq!(d, "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n");
        let d = unified("a\nb", "a\nc", "f");
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
        assert_eq!(apply("a\nb", &d), "a\nc");
        let d = unified("a\nb", "a\nb\n", "f");
        assert_eq!(apply("a\nb", &d), "a\nb\n");
        // Insertion at the top and deletion at the end.
        let old = "x\ny\nz\n";
        let new = "w\nx\ny\n";
        assert_eq!(apply(old, &unified(old, new, "f")), new);
    }

    #[test]
    fn random_edits_round_trip() {
        // A deterministic pseudo-random walk of edits over small alphabets.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..500 {
            let len = next(12) as usize;
            let old: Vec<String> = (0..len).map(|_| format!("l{}", next(4))).collect();
            let mut new = old.clone();
            for _ in 0..next(5) {
                match next(3) {
                    0 if !new.is_empty() => {
                        let at = next(new.len() as u64) as usize;
                        new.remove(at);
                    }
                    1 => {
                        let at = next(new.len() as u64 + 1) as usize;
                        new.insert(at, format!("n{}", next(4)));
                    }
                    _ if !new.is_empty() => {
                        let at = next(new.len() as u64) as usize;
                        new[at] = format!("c{}", next(4));
                    }
                    _ => {}
                }
            }
            let (o, n) = (old.join("\n") + "\n", new.join("\n") + "\n");
            let (o, n) =
                (if old.is_empty() { String::new() } else { o }, if new.is_empty() { String::new() } else { n });
            let d = unified(&o, &n, "f");
            assert_eq!(apply(&o, &d), n, "old {o:?} new {n:?}\n{d}");
        }
    }

    #[test]
    fn huge_differences_fall_back_to_one_block() {
        let old: String = (0..3000).map(|i| format!("a{i}\n")).collect();
        let new: String = (0..3000).map(|i| format!("b{i}\n")).collect();
        let d = unified(&old, &new, "f");
        assert!(d.starts_with("--- a/f\n+++ b/f\n@@ -1,3000 +1,3000 @@\n"));
        assert_eq!(apply(&old, &d), new);
    }
}
