//! ISO 3166-1 alpha-2 country codes, for the `nationalities` counts of case reviews.

/// Every officially assigned ISO 3166-1 alpha-2 code.
const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES \
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO \
IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK \
ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR \
PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK \
TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// True when `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub(crate) fn is_country(code: &str) -> bool {
    code.len() == 2 && CODES.split(' ').any(|c| c == code)
}

/// The name of a country, for pages (`AL` → `Albania`); the code itself when unknown.
pub(crate) fn name(code: &str) -> String {
    let short = match code {
        "GB" => Some("United Kingdom"),
        "US" => Some("United States"),
        "KR" => Some("South Korea"),
        "KP" => Some("North Korea"),
        "VN" => Some("Vietnam"),
        "CD" => Some("Democratic Republic of the Congo"),
        "RU" => Some("Russia"),
        "SY" => Some("Syria"),
        "TZ" => Some("Tanzania"),
        _ => None,
    };
    if let Some(s) = short {
        return s.to_owned();
    }
    match isocountry::CountryCode::for_alpha2(code) {
        // ISO's short names qualify some states in brackets: "Iran (Islamic Republic of)".
        Ok(c) => c.name().split(" (").next().unwrap_or(c.name()).to_owned(),
        Err(_) => code.to_owned(),
    }
}

/// Every code, for "did you mean" hints.
pub(crate) fn codes() -> impl Iterator<Item = &'static str> {
    CODES.split(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_well_formed() {
        assert_eq!(codes().count(), 249);
        assert!(codes().all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(is_country("AL") && is_country("VN") && is_country("GB"));
        assert_eq!(name("AL"), "Albania");
        assert_eq!(name("VN"), "Vietnam");
        assert_eq!(name("IR"), "Iran");
        assert_eq!(name("GB"), "United Kingdom");
        assert!(codes().all(|c| name(c) != c), "every code has a name");
        assert!(!is_country("UK") && !is_country("al") && !is_country("XX"));
    }
}
