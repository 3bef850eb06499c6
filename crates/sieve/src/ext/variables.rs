//! variables ([RFC 5229]): `set` modifiers.
//!
//! [RFC 5229]: https://www.rfc-editor.org/rfc/rfc5229

use crate::types::Modifier;

/// Applies modifiers, already sorted by falling precedence ([RFC 5229
/// §4.1]).
///
/// [RFC 5229 §4.1]: https://www.rfc-editor.org/rfc/rfc5229#section-4.1
pub(crate) fn apply_modifiers(mut value: String, modifiers: &[Modifier]) -> String {
    for m in modifiers {
        value = match m {
            Modifier::Lower => value.to_lowercase(),
            Modifier::Upper => value.to_uppercase(),
            Modifier::LowerFirst | Modifier::UpperFirst => {
                let mut chars = value.chars();
                match chars.next() {
                    Some(first) => {
                        let mut out: String = if *m == Modifier::LowerFirst {
                            first.to_lowercase().collect()
                        } else {
                            first.to_uppercase().collect()
                        };
                        out.push_str(chars.as_str());
                        out
                    }
                    None => value,
                }
            }
            Modifier::QuoteWildcard => {
                let mut out = String::with_capacity(value.len());
                for c in value.chars() {
                    if matches!(c, '*' | '?' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
            Modifier::Length => value.chars().count().to_string(),
        };
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc5229_section_4_1_examples() {
        // set "a" "juMBlEd lETteRS";             => "juMBlEd lETteRS"
        // set :length "b" "${a}";                => "15"
        // set :lower "b" "${a}";                 => "jumbled letters"
        // set :upperfirst "b" "${a}";            => "JuMBlEd lETteRS"
        // set :upperfirst :lower "b" "${a}";     => "Jumbled letters"
        // set :quotewildcard "b" "Rock*";        => "Rock\*"
        let a = "juMBlEd lETteRS".to_owned();
        assert_eq!(apply_modifiers(a.clone(), &[Modifier::Length]), "15");
        assert_eq!(
            apply_modifiers(a.clone(), &[Modifier::Lower]),
            "jumbled letters"
        );
        assert_eq!(
            apply_modifiers(a.clone(), &[Modifier::UpperFirst]),
            "JuMBlEd lETteRS"
        );
        assert_eq!(
            apply_modifiers(a, &[Modifier::Lower, Modifier::UpperFirst]),
            "Jumbled letters"
        );
        assert_eq!(
            apply_modifiers("Rock*".into(), &[Modifier::QuoteWildcard]),
            "Rock\\*"
        );
    }
}
