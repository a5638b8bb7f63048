use super::*;
use std::sync::LazyLock;

static LINT: LazyLock<Lint> = LazyLock::new(Lint::new);

/// The findings of `text` as (kind, matched text) pairs.
fn found(text: &str) -> Vec<(FindingKind, &str)> {
    found_allowing(text, &[])
}

fn found_allowing<'t>(text: &'t str, allowed: &[&str]) -> Vec<(FindingKind, &'t str)> {
    LINT.scan(text, allowed)
        .into_iter()
        .map(|f| (f.kind, &text[f.start..f.end]))
        .collect()
}

fn assert_clean(text: &str) {
    assert_eq!(found(text), vec![], "false positive in {text:?}");
}

#[test]
fn ni_number_is_found_with_or_without_spaces() {
    use FindingKind::NiNumber;
    assert_eq!(
        found("NINO AB123456C on file"),
        vec![(NiNumber, "AB123456C")]
    );
    assert_eq!(
        found("NINO AB 12 34 56 C."),
        vec![(NiNumber, "AB 12 34 56 C")]
    );
    assert_eq!(found("(OA123456D)"), vec![(NiNumber, "OA123456D")]);
}

#[test]
fn ni_number_near_misses_are_not_flagged() {
    for text in [
        "DA123456C",
        "AD123456C",
        "FA123456C",
        "AQ123456C",
        "AO123456C",
        "BG123456A",
        "GB123456A",
        "NK123456A",
        "KN123456A",
        "TN123456A",
        "NT123456A",
        "ZZ123456A",
        "ab123456c",
        "AB123456E",
        "AB12345C",
        "XAB123456C",
    ] {
        assert_clean(text);
    }
}

#[test]
fn postcode_is_found_but_not_a_district_alone() {
    use FindingKind::Postcode;
    assert_eq!(found("lived at SO23 9AJ."), vec![(Postcode, "SO23 9AJ")]);
    assert_eq!(found("SO239AJ"), vec![(Postcode, "SO239AJ")]);
    assert_eq!(found("GIR 0AA"), vec![(Postcode, "GIR 0AA")]);
    assert_eq!(found("EC1A 1BB"), vec![(Postcode, "EC1A 1BB")]);
    assert_clean("the SO23 district of Winchester");
    assert_clean("so23 9aj");
}

#[test]
fn current_plate_is_found_unless_the_age_identifier_is_impossible() {
    use FindingKind::VehicleRegistration;
    assert_eq!(
        found("a van, AB12 CDE,"),
        vec![(VehicleRegistration, "AB12 CDE")]
    );
    assert_eq!(found("AB51CDE"), vec![(VehicleRegistration, "AB51CDE")]);
    assert!(!VehicleRegistration.is_warning());
    for text in [
        "AB00 CDE", "AB01 CDE", "AB50 CDE", "ab12 cde", "AI12 CDE", "AB12 CDI",
    ] {
        assert!(
            found(text)
                .iter()
                .all(|(kind, _)| *kind != VehicleRegistration),
            "{text}"
        );
    }
}

#[test]
fn older_plates_are_warnings() {
    use FindingKind::OldVehicleRegistration;
    assert_eq!(
        found("car A123 BCD seen"),
        vec![(OldVehicleRegistration, "A123 BCD")]
    );
    assert_eq!(
        found("car ABC 123D seen"),
        vec![(OldVehicleRegistration, "ABC 123D")]
    );
    assert!(OldVehicleRegistration.is_warning());
    assert_clean("I123 BCD and ABC 123I and a123 bcd");
}

#[test]
fn phone_numbers_are_found_in_every_written_form() {
    use FindingKind::PhoneNumber;
    for phone in [
        "023 8012 3456",
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "(023) 8012-3456",
        "+44 (0)23 8012 3456",
        "0044 7700 900123",
        "01962 841 534",
    ] {
        let text = format!("call {phone}, then");
        assert_eq!(found(&text), vec![(PhoneNumber, phone)], "{text}");
    }
}

#[test]
fn helplines_short_numbers_and_wrong_lengths_are_not_phones() {
    for text in [
        "Modern Slavery Helpline 08000 121 700",
        "helpline 08000121700 or +44 800 0121 700",
        "Crimestoppers 0800 555 111 or (0800) 555-111",
        "ring 101 or 999",
        "023 8012",
        "0238012345678",
        "2020-09-05 and 2018-03 and CR-2024-007",
    ] {
        assert_clean(text);
    }
}

#[test]
fn email_addresses_are_found_case_insensitively() {
    use FindingKind::Email;
    assert_eq!(
        found("mail j.smith@example.co.uk."),
        vec![(Email, "j.smith@example.co.uk")]
    );
    assert_eq!(
        found("<J.Smith@Example.COM>"),
        vec![(Email, "J.Smith@Example.COM")]
    );
    assert_eq!(found("S1@example.org"), vec![(Email, "S1@example.org")]);
    assert_clean("j.smith at example dot com, @handle, user@localhost");
}

#[test]
fn full_dates_near_a_birth_keyword_are_dates_of_birth() {
    use FindingKind::DateOfBirth;
    for (text, date) in [
        ("V1 was born on 12/03/1990 in Tirana", "12/03/1990"),
        ("DOB: 1990-03-12", "1990-03-12"),
        ("d.o.b. 12.3.1990", "12.3.1990"),
        ("Date of birth 12 March 1990", "12 March 1990"),
        ("born 12th of Sept 1990", "12th of Sept 1990"),
        ("born March 12, 1990", "March 12, 1990"),
        ("12-03-90 (DOB)", "12-03-90"),
    ] {
        assert_eq!(found(text), vec![(DateOfBirth, date)], "{text}");
    }
}

#[test]
fn dates_without_a_nearby_keyword_or_day_are_not_flagged() {
    for text in [
        "Referred to the NRM on 12/03/1990.",
        "V1 was born abroad. The warrant, executed after months of work, was 12/03/1990.",
        "V1 was born in March 2021",
        "born on 45/13/1990",
        "born 12/03-1990",
        "the stubborn 12/03/1990 entry",
    ] {
        assert_clean(text);
    }
}

/// `n` characters of filler word `unit`, between spaces.
fn filler(unit: &str, n: usize) -> String {
    format!(" {} ", unit.repeat(n - 2))
}

#[test]
fn keyword_window_holds_the_whole_finding_within_forty_characters() {
    use FindingKind::{DateOfBirth, PassportNumber};
    let date = "12/03/1990";
    let room = KEYWORD_DISTANCE - date.len();
    let inside = format!("born{}{date}", filler("x", room));
    assert_eq!(found(&inside), vec![(DateOfBirth, date)]);
    assert_clean(&format!("born{}{date}", filler("x", room + 1)));
    let multibyte = format!("DOB{}{date}", filler("—", room));
    assert_eq!(found(&multibyte), vec![(DateOfBirth, date)]);
    assert_clean(&format!("DOB{}{date}", filler("—", room + 1)));
    let before = format!("123456789{}passport", filler("x", KEYWORD_DISTANCE - 9));
    assert_eq!(found(&before), vec![(PassportNumber, "123456789")]);
    assert_clean(&format!(
        "123456789{}passport",
        filler("x", KEYWORD_DISTANCE - 8)
    ));
}

#[test]
fn nine_digits_are_a_passport_number_only_near_the_word() {
    use FindingKind::PassportNumber;
    assert_eq!(
        found("Passport no. 123456789"),
        vec![(PassportNumber, "123456789")]
    );
    assert_eq!(
        found("123456789 (her passport)"),
        vec![(PassportNumber, "123456789")]
    );
    let text = "S1 held V1's passport, number 123456789. Not flagged: 987654321 exhibits.";
    assert_eq!(found(text), vec![(PassportNumber, "123456789")]);
    assert_clean("exhibit reference 123456789");
    assert_clean("passport 1234567 or 1234567890");
    assert_clean(
        "passports were seized; in the following months the exhibit count reached 123456789",
    );
}

#[test]
fn police_references_are_found() {
    use FindingKind::PoliceReference;
    assert_eq!(
        found("PNC 12/345678A"),
        vec![(PoliceReference, "12/345678A")]
    );
    assert_eq!(
        found("crime ref 44/123456/21"),
        vec![(PoliceReference, "44/123456/21")]
    );
    assert_clean("12/345678a, 2019/20, 2019/2020/2021, ss12-16, 12/03/2021");
}

#[test]
fn pseudonym_tokens_are_never_part_of_a_finding() {
    for text in [
        "V1 2AB",
        "S1 2AB",
        "W3 4CD",
        "V1 was moved",
        "S12 ABC",
        "V123 BCD",
        "R1 CPS to review",
        "S1 and S2 and W3",
    ] {
        assert_clean(text);
    }
    assert_eq!(found("SW1A 1AA"), vec![(FindingKind::Postcode, "SW1A 1AA")]);
}

#[test]
fn allowed_strings_are_matched_exactly_and_phones_by_digits() {
    use FindingKind::{Email, Postcode};
    let text = "Office SO23 9AJ, tel (023) 8012-3456, ops@example.org, home SO22 5DB";
    let allowed = ["SO23 9AJ", "+44 23 8012 3456", "OPS@EXAMPLE.ORG"];
    assert_eq!(found_allowing(text, &allowed), vec![(Postcode, "SO22 5DB")]);
    assert_eq!(found_allowing(text, &["023 8012 3456 "]).len(), 3);
    assert_eq!(found_allowing(text, &["SO239AJ", "so23 9aj"]).len(), 4);
    assert_eq!(
        found_allowing("mail ops@example.org", &["ops@example.org"]),
        vec![]
    );
    assert_eq!(
        found_allowing("a@b.org", &["c@b.org"]),
        vec![(Email, "a@b.org")]
    );
}

#[test]
fn byte_offsets_survive_multibyte_characters() {
    let text = "£2,000,000 — café ‘SO23 9AJ’ — call 07700 900123 — é";
    let findings = LINT.scan(text, &[]);
    let spans: Vec<&str> = findings.iter().map(|f| &text[f.start..f.end]).collect();
    assert_eq!(spans, ["SO23 9AJ", "07700 900123"]);
    assert_eq!(findings[0].start, text.find("SO23").expect("present"));
    assert_eq!(findings[1].end, text.find(" — é").expect("present"));
}

#[test]
fn overlapping_hits_keep_the_most_specific_and_come_sorted() {
    use FindingKind::{Email, NiNumber, PhoneNumber};
    let text = "07700 900123 and 07700900123@sms.example.com and AB123456C";
    assert_eq!(
        found(text),
        vec![
            (PhoneNumber, "07700 900123"),
            (Email, "07700900123@sms.example.com"),
            (NiNumber, "AB123456C"),
        ]
    );
    let findings = LINT.scan(text, &[]);
    assert!(findings.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn realistic_review_text_has_no_false_positives() {
    assert_clean(
        "---\nid: CR-2024-007\nrelated: [ORD-2020-001, AG-GLAA]\nlast_reviewed: 2020-09-05\n\
         investigation: {start: 2018-03, end: 2018-09}\nlocal_authority: E07000084\n\
         county: E10000014\n---\n\
         ## Summary\nOperation Zannik (HIOWC, with HOIE-CFI and the GLAA) found 22 victims. \
         V12 was born in Albania in 1998 and arrived in March 2016. There were \
         0 adults and 22 children, nationalities AF 13 and AL 9. V1 was moved to a safe house; \
         S1 and S2 were charged under MSA2015-s2 and MSA2015-s14, GLA2004-s12 and \
         SOA2003-s53A; V3 raised the s45 defence (ss12-16 did not apply). W3 gave evidence. \
         In March 2021 a confiscation order of £2,000,000 was made; in 2019 the court used \
         Article 31 and Schedule 6 powers. R1 CPS to audit. R2 (owner: HIOWC, due 2021-12) \
         is done. NRM: 22 referrals, 19 positive CG, DtN MS1 0. Call the Modern Slavery \
         Helpline on 08000 121 700 or Crimestoppers on 0800 555 111; dial 101 or 999. \
         See [GLAA powers](AG-GLAA) and ORD-2020-001; reviewed 2020-09-05, due 2027-11-20.",
    );
}

#[test]
fn labels_and_severity() {
    assert_eq!(FindingKind::NiNumber.label(), "National Insurance number");
    assert_eq!(
        FindingKind::OldVehicleRegistration.label(),
        "vehicle registration (older style)"
    );
    assert_eq!(FindingKind::Email.label(), "email address");
    assert!(!FindingKind::PhoneNumber.is_warning());
}

#[test]
fn lint_is_sync_and_reusable() {
    fn assert_sync<T: Sync + Send>() {}
    assert_sync::<Lint>();
    let lint = Lint::default();
    assert_eq!(lint.scan("AB123456C", &[]), lint.scan("AB123456C", &[]));
    assert_eq!(lint.scan("", &[]), vec![]);
}

#[test]
fn passport_numbers_in_uk_and_foreign_forms_near_the_word() {
    use FindingKind::PassportNumber;
    assert_eq!(
        found("passport 123456789 seized"),
        vec![(PassportNumber, "123456789")]
    );
    assert_eq!(
        found("her Romanian passport (A1234567) was held"),
        vec![(PassportNumber, "A1234567")]
    );
    assert_eq!(
        found("passport no. AB1234567"),
        vec![(PassportNumber, "AB1234567")]
    );
    assert_clean("A1234567 is a stock code far from any travel document mentioned in the text");
    assert_clean("passports of V1 and V2 were held by S1");
}

#[test]
fn exact_ages_of_children_but_not_adults_or_bands() {
    use FindingKind::ChildAge;
    assert_eq!(found("V2, aged 14, was"), vec![(ChildAge, "aged 14")]);
    assert_eq!(found("a 15-year-old boy"), vec![(ChildAge, "15-year-old")]);
    assert_eq!(
        found("she was 16 years old"),
        vec![(ChildAge, "16 years old")]
    );
    assert_eq!(
        found("Aged fourteen, V3"),
        vec![(ChildAge, "Aged fourteen")]
    );
    assert_clean("V1, aged 34, and an adult aged 19");
    assert_clean("a 45-year-old man");
    assert_clean("children under 18 and boys in their mid-teens");
    assert_clean("held for 18 months; a 3-year STRO");
}

#[test]
fn nrm_court_and_crime_references() {
    assert_eq!(
        found("NRM referral 202301234567 was made"),
        vec![(FindingKind::NrmReference, "202301234567")]
    );
    assert_eq!(
        found("the case, T20217001, was listed"),
        vec![(FindingKind::CourtCaseNumber, "T20217001")]
    );
    assert_eq!(
        found("crime reference 44210123456 was closed"),
        vec![(FindingKind::CrimeReference, "44210123456")]
    );
    assert_eq!(
        found("URN 44AB1234567"),
        vec![(FindingKind::CrimeReference, "44AB1234567")]
    );
    // Counts, years and ids near the keywords are not references.
    assert_clean("12,727 NRM referrals in 2021; 3,190 MS1 reports");
    assert_clean("NRM referrals rose from 2019 to 2021 (see CR-2024-007)");
    assert_clean("the referral in 2021-03 led to ORD-2022-006");
    assert_clean("T2 and T3 were tried in 2021");
}

#[test]
fn every_kind_has_a_fitting_hint() {
    use FindingKind as K;
    assert!(K::PhoneNumber.hint().contains("number") && !K::PhoneNumber.hint().contains("date"));
    assert!(K::DateOfBirth.hint().contains("date of birth"));
    assert!(K::ChildAge.hint().contains("age band"));
    assert!(K::Postcode.hint().contains("district"));
}

#[test]
fn child_ages_in_every_written_form() {
    use FindingKind::ChildAge;
    for (text, age) in [
        ("at age 13 V1 left school", "age 13"),
        ("Age 12, V4 was", "Age 12"),
        ("from the age of 13", "age of 13"),
        ("V2 was 15 years of age", "15 years of age"),
        ("V2, fifteen years of age,", "fifteen years of age"),
        ("a 17yo boy", "17yo"),
        ("a 17 y/o girl", "17 y/o"),
        ("V5 (16 yo)", "16 yo"),
        ("a 14 yrs old", "14 yrs old"),
    ] {
        assert_eq!(found(text), vec![(ChildAge, age)], "{text}");
    }
}

#[test]
fn a_pseudonym_then_an_age_in_brackets_is_a_child_age() {
    use FindingKind::ChildAge;
    assert_eq!(found("V10 (15) was moved"), vec![(ChildAge, "(15)")]);
    assert_eq!(found("S2(16) recruited V3"), vec![(ChildAge, "(16)")]);
    assert_eq!(found("W1 (fifteen) saw"), vec![(ChildAge, "(fifteen)")]);
    assert_clean("V10 (34) was moved; S2 (18) was charged");
    assert_clean("see section (15) and DV10 (15) and V1234 (15)");
    assert_clean("R1 (15) is a recommendation; (15) alone is a list item");
}

#[test]
fn adults_in_the_new_age_forms_are_not_flagged() {
    assert_clean("age 18, 19 years of age, 18yo, 25 y/o, V1 (34), aged nineteen");
}

#[test]
fn age_ranges_and_open_bands_are_not_exact_ages() {
    for text in [
        "children aged 15 and older",
        "aged 15 and over",
        "aged 15 years and over",
        "aged 15+",
        "4-8 years old",
        "a 15- to 17-year-old",
        "aged 13-18",
        "aged 13 to 17",
        "13 to 17 years old",
        "between 13 and 17 years old",
        "more than five years old",
        "under the age of 16",
        "children under 16 years of age",
        "age 10 and under",
        "15 and over, under 16, 13 to 17, over 12",
    ] {
        assert_clean(text);
    }
}

#[test]
fn two_ages_joined_by_and_or_or_are_still_exact() {
    use FindingKind::ChildAge;
    assert_eq!(
        found("V2 and V3, aged 14 and 15,"),
        vec![(ChildAge, "aged 14")]
    );
    assert_eq!(found("V2 was aged 16 or 17"), vec![(ChildAge, "aged 16")]);
}

#[test]
fn turning_an_age_is_flagged_only_with_a_person_cue_in_the_sentence() {
    use FindingKind::ChildAge;
    assert_clean("the project turned 6 years old last week");
    assert_clean("The charity turns ten years old. She said so.");
    assert_eq!(
        found("V2 turned 15 years old in May"),
        vec![(ChildAge, "15 years old")]
    );
    assert_eq!(
        found("Her daughter had turned six years old when\nthey moved."),
        vec![(ChildAge, "six years old")]
    );
    assert_eq!(
        found("It was March. The boy turned 14 years old."),
        vec![(ChildAge, "14 years old")]
    );
    assert_eq!(
        found("the project was 6 years old"),
        vec![(ChildAge, "6 years old")]
    );
}

#[test]
fn no_finding_spans_a_line_break() {
    assert_clean("```\n0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n```");
    assert_clean("```\r\n0\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n9\r\n```");
    assert_clean("lived at SO23\n9AJ, then moved");
    assert_clean("call 07700\n900123 or AB12\nCDE or NINO AB 12 34 56\nC");
    assert_clean("V2, aged\n14, and a 15\nyears old");
    assert_clean("DOB 12 March\n1990");
}

#[test]
fn a_candidate_on_one_line_is_not_hidden_by_a_longer_one_across_lines() {
    assert_eq!(
        found("call 0770 090012\n3 times"),
        vec![(FindingKind::PhoneNumber, "0770 090012")]
    );
}

#[test]
fn digits_glued_to_a_longer_number_are_not_a_phone_number() {
    for text in [
        "lat 18.08467273887, long 0.08467273887",
        "![shot](Screenshot_2016-03-29-15-40-12.jpg)",
        "build 2016_07700900123 and 07700900123.5",
    ] {
        assert_clean(text);
    }
}

#[test]
fn phone_numbers_in_a_slash_list_are_each_found() {
    use FindingKind::PhoneNumber;
    assert_eq!(
        found("tel 023 8012 3456/07700 900123."),
        vec![
            (PhoneNumber, "023 8012 3456"),
            (PhoneNumber, "07700 900123")
        ]
    );
}

#[test]
fn passport_numbers_of_eight_digits_or_with_a_closing_letter() {
    use FindingKind::PassportNumber;
    assert_eq!(
        found("passport number 12345678"),
        vec![(PassportNumber, "12345678")]
    );
    assert_eq!(
        found("her Philippine passport, P1234567A, was held"),
        vec![(PassportNumber, "P1234567A")]
    );
    assert_eq!(
        found("passport AB1234567C"),
        vec![(PassportNumber, "AB1234567C")]
    );
    assert_clean("passport 1234567, P12345A and ABC1234567D");
    assert_clean("12345678 and P1234567A far from any travel document named in this text");
}

#[test]
fn nrm_references_in_any_grouping_of_their_digits() {
    use FindingKind::NrmReference;
    for (text, reference) in [
        ("NRM reference 1234-5678-90 was given", "1234-5678-90"),
        ("the referral (1234 5678 90) was", "1234 5678 90"),
        ("NRM ref 12/3456/7890", "12/3456/7890"),
        ("filed as NRM/2024/123456", "NRM/2024/123456"),
        ("NRM referral 202301234567 was made", "202301234567"),
        ("for V4 NRM/2024/123456.", "NRM/2024/123456"),
        ("V4 123456789 (NRM)", "123456789"),
    ] {
        assert_eq!(found(text), vec![(NrmReference, reference)], "{text}");
    }
}

#[test]
fn nrm_groupings_that_read_as_dates_years_ids_or_phones_are_not_references() {
    for text in [
        "NRM referrals in 2021-03 and on 2021-03-12 and 12/03/2021 and 12-03-21",
        "NRM referrals for 2019/2020, 2019-2020-2021 and 20192020",
        "the referral in 2023 1234 cases",
        "NRM referral, see CR-2024-007 and ORD-2020-001",
        "referrals through the Modern Slavery Helpline 08000 121 700",
        "NRM referral: 12 34 56 78",
    ] {
        assert_clean(text);
    }
    assert_eq!(
        found("referral line 023 8012 3456"),
        vec![(FindingKind::PhoneNumber, "023 8012 3456")]
    );
}
