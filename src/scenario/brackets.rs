//! Finding the bracket or brace a TOML syntax error really comes from: the
//! reader notices a missing `]` or `}` only on a later line ("missing
//! comma" at the next table), so the message is moved to where the array or
//! inline table was opened. Knows TOML's strings and comments, nothing else.

/// An opening `[` or `{` left unclosed (or closed by the wrong kind) before
/// byte `at`: its byte offset and the character. `None` when every bracket
/// opened before `at` is closed.
pub(super) fn unclosed(source: &str, at: usize) -> Option<(usize, char)> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' => {
                i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' => {
                i = string_end(source, i);
                continue;
            }
            b'[' | b'{' => open.push((i, c as char)),
            b']' | b'}' => {
                let want = if c == b']' { '[' } else { '{' };
                match open.last() {
                    Some(&(_, o)) if o == want => {
                        open.pop();
                    }
                    // A closer of the wrong kind: the last opener is the culprit.
                    Some(&last) if last.0 < at => return Some(last),
                    _ => {}
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Still open at the end of the file, and opened before the error.
    open.into_iter().find(|&(o, _)| o < at)
}

/// The byte after the string starting at `start` (a `"`, `'`, `"""` or
/// `'''`), or the end of the line for an unterminated one-line string.
fn string_end(source: &str, start: usize) -> usize {
    let rest = &source[start..];
    let quote = &rest[..1];
    let triple = quote.repeat(3);
    if rest.starts_with(&triple) {
        let body = start + 3;
        return source[body..]
            .find(&triple)
            .map_or(source.len(), |n| body + n + 3);
    }
    let basic = quote == "\"";
    let mut escaped = false;
    for (n, ch) in rest.char_indices().skip(1) {
        match ch {
            '\n' => return start + n,
            '\\' if basic && !escaped => {
                escaped = true;
                continue;
            }
            c if c.to_string() == quote && !escaped => return start + n + 1,
            _ => {}
        }
        escaped = false;
    }
    source.len()
}

#[cfg(test)]
mod tests {
    use super::unclosed;

    #[test]
    fn an_unclosed_array_or_table_is_found_where_it_opens() {
        let s = "a = [1, 2\n\n[t]\nb = 1\n";
        assert_eq!(unclosed(s, s.find("[t]").unwrap()), Some((4, '[')));
        let s = "p = { x = 1\n[[tier]]\n";
        assert_eq!(unclosed(s, 12), Some((4, '{')));
        let s = "p = { x = [1 }\n";
        assert_eq!(unclosed(s, 13), Some((10, '[')));
    }

    #[test]
    fn brackets_in_strings_and_comments_and_closed_ones_do_not_count() {
        let s = "a = \"[{\" # [ {\nb = '''\n[\n'''\nc = [1, {x = \"]\"}]\n[t]\nd = \"\\\"[\"\n";
        assert_eq!(unclosed(s, s.len()), None);
    }
}
