//! Delimiter sniffing over the first lines of decoded text.

/// Candidate delimiters, in order of preference on a tie.
const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Pick the delimiter that splits the most lines into the same number (≥ 2) of fields.
/// Title rows and notes above the header have few delimiters, so they do not sway the vote.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .collect();
    let mut best = (b',', 0usize);
    for &d in &CANDIDATES {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        // The most common non-zero count, and on how many lines it occurs.
        let mut tally: Vec<(usize, usize)> = Vec::new();
        for &c in counts.iter().filter(|&&c| c > 0) {
            match tally.iter_mut().find(|(n, _)| *n == c) {
                Some((_, k)) => *k += 1,
                None => tally.push((c, 1)),
            }
        }
        let score = tally.iter().map(|&(_, k)| k).max().unwrap_or(0);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

/// The delimiter a [`delimiter_name`] names.
pub fn delimiter_byte(name: &str) -> Option<u8> {
    CANDIDATES.into_iter().find(|&d| delimiter_name(d) == name)
}

pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comma",
        b'\t' => "tab",
        b';' => "semicolon",
        b'|' => "pipe",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(
            sniff_delimiter("amazon-order-id\tsku\tqty\n1\tA,B\t2\n"),
            b'\t'
        );
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(
            sniff_delimiter("统计日期：2024-03-01~2024-03-07\n\n日期,访客数\n1,2\n"),
            b','
        );
        assert_eq!(sniff_delimiter("\"x,y\"|b|c\n1|2|3\n"), b'|');
    }
}
