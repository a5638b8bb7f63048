//! One fixture per invalid case (`tests/fixtures/invalid/<case>/`, laid over
//! `tests/fixtures/base/`): each is committed to a fresh repository and checked, and the exact
//! output (exit code, every diagnostic with its code frame, the summary) is a reviewed snapshot.

use crate::support::{TestRepo, fixtures};

/// Checks one case and compares its output with the snapshot of the same name.
fn assert_case(case: &str) {
    let repo = TestRepo::invalid_case(case);
    repo.commit("fixture");
    let run = repo.run(&["check"]);
    let output = format!("exit: {}\n{}", run.code(), run.stderr());
    insta::with_settings!({ snapshot_path => "snapshots/invalid", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(case, output);
    });
}

macro_rules! cases {
    ($($name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                assert_case(&stringify!($name).replace('_', "-"));
            }
        )*

        /// Every case folder has a test, and every test has a folder.
        #[test]
        fn every_fixture_folder_is_a_case() {
            let listed: Vec<String> = vec![$(stringify!($name).replace('_', "-")),*];
            let mut folders: Vec<String> = std::fs::read_dir(fixtures().join("invalid"))
                .expect("invalid fixtures")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            folders.sort();
            let mut sorted = listed.clone();
            sorted.sort();
            assert_eq!(folders, sorted);
        }
    };
}

cases! {
    status_dates_disagree,
    prohibition_period_below_minimum,
    travel_ban_extended_too_far,
    breach_outcome_rules,
    interim_application_mismatch,
    earlier_forms,
    learning_rules,
    related_review_rules,
    theme_briefing_words,
    review_in_orders_folder,
    table_blowup,
    unquoted_colon_in_value,
    impossible_date,
    agency_outside_its_years,
    pd_child_age,
    pd_nrm_reference,
    pd_court_case_number,
    pd_foreign_passport_number,
    court_rule,
    interim_until_further_order,
    discharge_without_consent,
    order_events_out_of_order,
    breach_of_requirement_not_imposed,
    foreign_travel_without_prohibition,
    nrm_declined_exceeds_adults,
    msa_offence_before_commencement,
    missing_front_matter,
    blank_lines_before_front_matter,
    unclosed_front_matter,
    front_matter_too_large,
    yaml_syntax_error,
    front_matter_not_a_mapping,
    empty_front_matter,
    duplicate_title,
    duplicate_marking,
    unknown_marking,
    marking_with_space,
    restricted_marking,
    secret_marking,
    top_secret_marking,
    missing_marking,
    unknown_anchor,
    yaml_tags,
    multi_document,
    billion_laughs,
    deep_nesting_over_cap,
    deep_nesting_under_cap,
    merge_key,
    wrong_type_title,
    wrong_type_count,
    wrong_type_tags,
    huge_number,
    unknown_field,
    unknown_nested_field,
    missing_required_fields,
    invalid_date,
    date_in_future,
    invalid_month,
    invalid_id,
    id_file_mismatch,
    kind_folder_mismatch,
    duplicate_id,
    title_too_short,
    invalid_tag,
    unknown_area,
    unknown_exploitation,
    unknown_agency,
    unknown_offence,
    unknown_outcome,
    unknown_referral_source,
    unknown_theme,
    invalid_status,
    invalid_review_type,
    investigation_dates_reversed,
    review_before_investigation,
    id_year_mismatch,
    victim_count_mismatch,
    more_female_and_male_than_total,
    nationalities_over_total,
    nationality_not_iso,
    nrm_cg_above_rg,
    sentence_offence_not_listed,
    lead_agency_not_listed,
    duplicate_recommendation_id,
    recommendation_overdue,
    review_overdue,
    unknown_reference,
    order_reference_wrong_kind,
    non_reciprocal_order_link,
    missing_body_section,
    unresolved_link,
    unsafe_link_schemes,
    stray_file,
    basis_type_mismatch,
    applicant_on_s14_order,
    applicant_missing,
    invalid_applicant,
    stpo_duration_below_minimum,
    stro_duration_below_minimum,
    expiry_mismatch,
    expires_without_duration,
    made_fields_on_order_not_made,
    made_order_missing_fields,
    foreign_travel_too_long,
    travel_ban_without_passport_surrender,
    breach_prohibition_not_listed,
    breach_before_order_made,
    not_pursued_without_reason,
    current_order_without_management,
    unknown_prohibition,
    empty_marking,
    agency_id_mismatch,
    stale_powers_note,
    unknown_power_type,
    pd_ni_number,
    pd_postcode,
    pd_vehicle_registration,
    pd_phone_number,
    pd_email,
    pd_date_of_birth,
    pd_passport_number,
    pd_police_reference,
    pd_in_front_matter,
    pd_child_age_forms,
    pd_passport_number_forms,
    pd_nrm_reference_grouping,
    multi_line_personal_data,
    multi_line_invalid_date,
    multi_line_invalid_value,
    multi_line_other_values,
    lint_allow,
    lint_allow_without_reason,
    vocabulary_extension,
    vocabulary_redefines_built_in,
    vocabulary_malformed,
    not_utf8,
    binary_file,
}
