//! Counted nouns: the one pluralisation rule that every page, CSV file and command-line line
//! uses, so nothing ever reads "1 years" or "1 thematic reviews".

/// `one` when `n` is 1, else `many`.
pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The count and its noun: "1 year", "3 years", "0 errors".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", plural(n, one, many))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "year", "years"), "1 year");
        assert_eq!(count(0, "year", "years"), "0 years");
        assert_eq!(
            count(2, "thematic review", "thematic reviews"),
            "2 thematic reviews"
        );
        assert_eq!(plural(1, "person", "people"), "person");
        assert_eq!(plural(5, "person", "people"), "people");
    }
}
