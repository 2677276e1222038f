"""The recording-quality analyser: each check finds what a recording auditor would flag,
leaves alone what is close but fine, and points at exactly the words it is about."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.quality import (
    CODE_NAMES,
    CODES,
    DEFAULT_GLOSSARY,
    AnalyserConfig,
    Finding,
    analyse,
)
from caseledger.domain.quality.bench import benchmark
from caseledger.domain.quality.evaluation import evaluate, format_report, load_examples

KNOWN = ("Freddie Smith", "Karen Smith", "Lee Smith")
EVALUATION_SET = Path(__file__).resolve().parents[4] / "tests" / "quality" / "evaluation.jsonl"
PACKAGE = Path(__file__).resolve().parents[1] / "quality"


def flagged(text: str, code: str, **config: Any) -> list[str]:
    settings = replace(AnalyserConfig(known_names=KNOWN), **config)
    return [text[f.start : f.end] for f in analyse(text, settings) if f.code == code]


# The interface


def test_every_code_has_a_name():
    assert set(CODE_NAMES) == set(CODES)


def test_finding_as_json_has_the_agreed_keys():
    finding = Finding("jargon", 0, 3, "Spell it out.", None)
    assert finding.as_json() == {
        "code": "jargon",
        "start": 0,
        "end": 3,
        "message": "Spell it out.",
        "suggestion": None,
    }


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_note_has_no_findings(text):
    assert analyse(text) == []


def test_findings_are_sorted_by_start_then_code():
    text = "Mother is lazy. I recieved the CIN plan. Obviously she is neglectful."
    findings = analyse(text)
    assert findings == sorted(findings, key=lambda f: (f.start, f.code))
    assert {f.code for f in findings} >= {"disrespectful", "spelling", "jargon", "opinion_as_fact"}


def test_only_enabled_codes_run():
    text = "Mother is lazy. I recieved the CIN plan."
    config = AnalyserConfig(enabled=frozenset({"spelling"}))
    assert [f.code for f in analyse(text, config)] == ["spelling"]


def test_the_package_imports_nothing_but_the_standard_library_and_itself():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                assert not module.startswith("django"), path.name
                assert module.split(".")[0] != "caseledger" or module.startswith(
                    "caseledger.domain.quality"
                ), path.name


# pasted_email


def test_email_headers_are_one_finding_over_the_pasted_block():
    text = (
        "Update from school.\n\nFrom: Head of Year\nSent: 3 May 2025 10:15\nTo: Duty\n"
        "Subject: Freddie\n\nFreddie was absent on Monday."
    )
    findings = [f for f in analyse(text) if f.code == "pasted_email"]
    assert len(findings) == 1
    pasted = text[findings[0].start : findings[0].end]
    assert pasted.startswith("From: Head of Year")
    assert pasted.endswith("Freddie was absent on Monday.")
    assert "recording rule 11" in findings[0].message


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Note.\n-----Original Message-----\nThe family did not attend.", "-----Original"),
        ("On Mon, 12 May 2025 at 14:03, the nurse wrote:\n> Baby weighed today.", "On Mon"),
        ("> Can you confirm the date?\n> We have a room at 10am.\nYes.", "> Can you"),
        ("Agreed.\n\nThis email and any attachments are confidential.", "This email"),
        ("Seen.\n\nKind regards\nNursery Manager\nTel: 0121 496 0000", "Kind regards"),
    ],
)
def test_email_markers_are_found(text, start):
    assert [p[: len(start)] for p in flagged(text, "pasted_email")] == [start]


@pytest.mark.parametrize(
    "text",
    [
        'Email from the school on 3 May said: "Freddie was absent on Monday."',
        "I sent an email to the school about Freddie's attendance.",
        "Date: 12 May 2025\nVenue: Family Centre\nPresent: Karen Smith",
    ],
)
def test_a_quoted_line_or_a_mention_of_an_email_is_not_a_paste(text):
    assert flagged(text, "pasted_email") == []


def test_jargon_and_other_peoples_details_are_flagged_inside_a_pasted_email():
    # Unexplained jargon is still unexplained to whoever reads the record, and the details of
    # someone outside the case are still in the child's record.
    text = "From: Jane Brown\nSent: 3 May 2025\nSubject: CIN\nCc: Tom Ellis\nTel: 07700 900123"
    codes = [f.code for f in analyse(text, AnalyserConfig(known_names=("Jane Brown",)))]
    assert sorted(codes) == ["jargon", "pasted_email", "third_party_info"]
    assert flagged(text, "third_party_info") == ["Jane Brown", "Tom Ellis", "07700 900123"]


def test_a_linked_professionals_work_contact_in_a_pasted_email_is_not_flagged():
    text = (
        "From: Jane Brown <jane.brown@example.com>\nSent: 3 May 2025\nSubject: Visit\n\n"
        "Freddie was seen today.\n\nKind regards\nJane Brown\nAttendance Officer\n"
        "Tel: 07700 900123\n\nFrom: Duty <duty@example.com>\nSent: 2 May 2025\nSubject: Visit"
    )
    config = AnalyserConfig(known_names=(*KNOWN, "Jane Brown"))
    assert [f.code for f in analyse(text, config) if f.code == "third_party_info"] == []
    # Outside an email, the case's own people's contact details are still flagged.
    assert flagged("Karen's new number is 07700 900123.", "third_party_info") == ["07700 900123"]


# third_party_info


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("Karen's partner can be called on 07700 900123.", "07700 900123"),
        ("Landline (0121) 496 0456 for the aunt.", "(0121) 496 0456"),
        ("The landlord is on landlord@example.com.", "landlord@example.com"),
        ("Baby's NHS number is 943 476 5919.", "943 476 5919"),
        ("NHS number 9434765919 given.", "9434765919"),
        ("His National Insurance number is JK 12 34 56 C.", "JK 12 34 56 C"),
        ("Grandmother lives at 14 Elm Grove now.", "14 Elm Grove"),
        ("Her friend lives near B15 2TT.", "B15 2TT"),
    ],
)
def test_contact_details_and_identifiers_are_flagged(text, detail):
    assert flagged(text, "third_party_info") == [detail]


def test_contact_details_of_the_cases_own_people_are_still_flagged():
    findings = analyse("Karen's number is 07700 900123.", AnalyserConfig(known_names=KNOWN))
    assert [f.code for f in findings] == ["third_party_info"]
    assert "person's record" in findings[0].message


def test_a_ten_digit_number_failing_the_nhs_check_digit_is_not_an_nhs_number():
    assert flagged("Reference 943 476 5910 on the letter.", "third_party_info") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Karen said her neighbour Sharon Price helps out.", "Sharon Price"),
        ("Karen said Mr Patel upstairs hears arguments.", "Mr Patel"),
        ("Freddie said Kevin from the flats gives him sweets.", "Kevin"),
    ],
)
def test_names_of_people_outside_the_case_are_flagged(text, name):
    assert flagged(text, "third_party_info") == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Freddie Smith was seen with his mum, Karen Smith.",
        "Mr Smith arrived late. Freddie sat with Lee.",
        "Freddie goes to Northmoor Primary School and is in Year 4.",
        "The visit was on Monday 12 May. Christmas plans were discussed.",
        "The appointment at Ash Tree Surgery is on Friday.",
        "The referral was made by a member of the public.",
    ],
)
def test_known_people_places_and_organisations_are_not_flagged(text):
    assert flagged(text, "third_party_info") == []


def test_known_names_match_any_part_of_a_name_in_any_case():
    text = "Sharon said Mrs Price would come too."
    assert flagged(text, "third_party_info") == ["Sharon", "Mrs Price"]
    config = AnalyserConfig(known_names=("sharon price",))
    assert [f.code for f in analyse(text, config)] == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The referrer was Mrs Jones, who lives next door.", "The referrer was Mrs Jones"),
        ("Referred by her neighbour Sharon Price.", "Referred by her neighbour Sharon Price"),
    ],
)
def test_a_referrers_identity_is_flagged(text, quote):
    findings = [f for f in analyse(text) if f.code == "third_party_info"]
    assert [text[f.start : f.end] for f in findings] == [quote]
    assert "referrer" in findings[0].message


# opinion_as_fact


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Mother was neglectful.", "neglectful"),
        ("He is manipulative.", "manipulative"),
        ("Dad is a liar.", "liar"),
        ("The home is disgusting.", "disgusting"),
        ("She clearly doesn't care.", "clearly doesn't care"),
        ("It is obvious that Karen has been drinking.", "It is obvious that"),
        ("Undoubtedly the injury was caused by Lee.", "Undoubtedly"),
    ],
)
def test_judgements_written_as_fact_are_flagged(text, quote):
    assert flagged(text, "opinion_as_fact") == [quote]


@pytest.mark.parametrize(
    "text",
    [
        "The teacher said he was upset.",
        "I observed that the kitchen had no food; in my view this suggests money is short.",
        "Mother said she feels overwhelmed.",
        'Karen said, "Lee is a liar."',
        "The neighbour alleged that the children are neglected.",
        "Freddie spoke clearly about what happened.",
        "The sign was clearly visible from the road.",
        "According to the health visitor, the home was chaotic that morning.",
    ],
)
def test_attributed_or_evidenced_statements_are_not_flagged(text):
    assert flagged(text, "opinion_as_fact") == []


# jargon


def test_an_unexplained_abbreviation_is_flagged_once_with_its_expansion():
    text = "Freddie is on a CIN plan. The CIN plan was reviewed."
    findings = [f for f in analyse(text) if f.code == "jargon"]
    assert [(f.start, f.end) for f in findings] == [(16, 19)]
    assert findings[0].suggestion == "Write it out the first time: child in need (CIN)."


@pytest.mark.parametrize(
    "text",
    [
        "Freddie is on a child in need (CIN) plan. The CIN plan was reviewed.",
        "The EHCP (education, health and care plan) is final. Karen has the EHCP.",
        "Freddie saw the GP, then went to A&E. Karen watched TV. He said OK. The NHS helped.",
        "DO NOT CALL AFTER SIX.",
    ],
)
def test_explained_and_everyday_abbreviations_are_not_flagged(text):
    assert flagged(text, "jargon") == []


def test_an_abbreviation_used_before_it_is_explained_is_flagged():
    text = "The CIN plan is working. Child in need (CIN) visits are monthly."
    assert flagged(text, "jargon") == ["CIN"]
    assert analyse(text)[0].start == 4


def test_unknown_capitalised_abbreviations_are_flagged_without_an_expansion():
    findings = [f for f in analyse("The family starts the FRP course.") if f.code == "jargon"]
    assert findings[0].suggestion == "Write out what FRP stands for the first time you use it."


def test_the_organisations_glossary_and_lexicon_are_used():
    text = "The family starts the FRP course."
    glossary = AnalyserConfig(glossary={"FRP": "family resilience programme"})
    assert [f.suggestion for f in analyse(text, glossary)] == [
        "Write it out the first time: family resilience programme (FRP)."
    ]
    assert analyse(text, AnalyserConfig(lexicon=frozenset({"frp"}))) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Karen is presenting as low.", "presenting as"),
        ("There are concerns about disguised compliance.", "disguised compliance"),
        ("The case will step down to early help.", "step down"),
        ("The referral did not meet threshold.", "meet threshold"),
    ],
)
def test_jargon_phrases_are_flagged(text, phrase):
    assert flagged(text, "jargon") == [phrase]


def test_the_default_glossary_covers_the_common_abbreviations():
    assert {"CIN", "CP", "CLA", "LAC", "EHCP", "SENCO", "IRO", "PEP", "MASH"} <= set(
        DEFAULT_GLOSSARY
    )


# disrespectful


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Karen is lazy.", "lazy"),
        ("Lee is feckless.", "feckless"),
        ("Freddie was attention-seeking.", "attention-seeking"),
        ("Freddie kicked off in class.", "kicked off"),
        ("The druggie upstairs shouted.", "druggie"),
        ("This is typical of this family.", "typical of this family"),
        ("Karen couldn't be bothered to get up.", "couldn't be bothered"),
        ("The useless duty team lost it.", "useless"),
        ("CAMHS failed again.", "CAMHS failed again"),
        ("The school as usual did nothing.", "The school as usual did nothing"),
    ],
)
def test_derogatory_and_blaming_language_is_flagged(text, quote):
    assert flagged(text, "disrespectful") == [quote]


def test_a_suggestion_describes_the_behaviour_instead():
    finding = next(
        f for f in analyse("Freddie was attention-seeking.") if f.code == "disrespectful"
    )
    assert finding.suggestion is not None
    assert "seeking connection" in finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        'Freddie said, "I kicked off because they took my phone."',
        "Karen said she feels hopeless about the housing.",
        "The boiler test failed and an engineer is booked.",
        "The school called Karen when Freddie did not arrive.",
    ],
)
def test_own_words_in_quotes_and_plain_facts_are_not_flagged(text):
    assert flagged(text, "disrespectful") == []


# spelling


@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        ("I recieved the report.", "recieved", "received"),
        ("They have seperated.", "seperated", "separated"),
        ("Untill Friday.", "Untill", "Until"),
        ("His behavior improved.", "behavior", "behaviour"),
        ("Color of the walls.", "Color", "Colour"),
        ("Karen will organize it.", "organize", "organise"),
        ("A pediatric appointment.", "pediatric", "paediatric"),
        ("His mom makes breakfast.", "mom", "mum"),
        ("A parenting program.", "program", "programme"),
    ],
)
def test_misspellings_and_american_spellings_are_flagged_with_the_british_word(
    text, word, suggestion
):
    findings = [f for f in analyse(text) if f.code == "spelling"]
    assert [(text[f.start : f.end], f.suggestion) for f in findings] == [(word, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "His behaviour and favourite colour; she organised the programme.",
        "Safeguarding was discussed with the paediatrician and the SENCO.",
        "Freddie is writing a computer program.",
        "Mr Gray visited.",
    ],
)
def test_british_spellings_and_terms_of_the_trade_are_accepted(text):
    assert flagged(text, "spelling") == []


def test_the_organisations_lexicon_silences_the_spelling_check():
    config = AnalyserConfig(lexicon=frozenset({"Program"}))
    assert [f for f in analyse("A parenting program.", config) if f.code == "spelling"] == []


# repetition


def test_a_point_made_again_is_flagged_at_the_repeat():
    text = (
        "Karen agreed to take Freddie to the dentist before the end of June. We talked about "
        "school. Karen agreed she would take Freddie to the dentist before the end of June."
    )
    assert flagged(text, "repetition") == [
        "Karen agreed she would take Freddie to the dentist before the end of June."
    ]


def test_a_repeated_bullet_is_flagged():
    text = "- Attendance has fallen to 82 per cent this term\n- Karen will meet the school\n"
    text += "- This term attendance has fallen to 82 per cent"
    assert flagged(text, "repetition") == ["This term attendance has fallen to 82 per cent"]


@pytest.mark.parametrize(
    "text",
    [
        "Freddie was seen alone. Karen was seen alone. Lee was seen alone.",
        "Freddie talked about school, school friends, school dinners and the school trip.",
        "Karen will take Freddie to the dentist in June. Lee will take Freddie to football.",
    ],
)
def test_a_repeated_word_is_not_a_repeated_point(text):
    assert flagged(text, "repetition") == []


# too_long


def test_a_note_far_longer_than_the_guide_is_flagged_whole():
    text = " ".join(f"Word{i}" for i in range(120))
    findings = analyse(text, AnalyserConfig(guide_length_words=50))
    assert [(f.code, f.start, f.end) for f in findings] == [("too_long", 0, len(text))]
    assert "120 words" in findings[0].message
    assert "the guide is 50" in findings[0].message


def test_a_note_up_to_twice_the_guide_is_not_too_long():
    text = " ".join(f"Word{i}" for i in range(100))
    assert analyse(text, AnalyserConfig(guide_length_words=50)) == []


# Every finding


@given(st.text(max_size=400))
def test_spans_are_always_within_the_text(text):
    for finding in analyse(text):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.code in CODES


@given(
    st.lists(
        st.sampled_from(
            [
                "Mother is lazy.",
                "CIN plan.",
                "Call 07700 900123.",
                "From: A\nSent: today\nSubject: B",
                "I recieved it.",
                "Sharon Price came.",
                "Clearly,",
                "\n",
                " ",
                '"',
            ]
        ),
        max_size=12,
    )
)
def test_spans_are_within_the_text_for_notes_made_of_findings(parts):
    text = "".join(parts)
    for finding in analyse(text):
        assert 0 <= finding.start < finding.end <= len(text)


# The evaluation set and the benchmark


def test_the_evaluation_set_meets_the_precision_and_recall_targets():
    examples = load_examples(EVALUATION_SET)
    assert len(examples) >= 200
    results = evaluate(examples)
    report = format_report(results)
    for code in CODES:
        assert results[code]["tp"] > 0, code
        assert results[code]["precision"] >= 0.8, report
        assert results[code]["recall"] >= 0.8, report


def test_the_report_has_a_row_per_code_in_order():
    examples = load_examples(EVALUATION_SET)
    lines = format_report(evaluate(examples)).splitlines()
    assert lines[0].split() == ["code", "precision", "recall", "tp", "fp", "fn"]
    assert [line.split()[0] for line in lines[1:]] == list(CODES)


def test_evaluate_counts_true_and_false_positives_and_misses(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(
        '{"id": "a", "source": "x", "text": "I recieved the CIN plan.", "known_names": [], '
        '"labels": [{"code": "spelling", "quote": "recieved"}, '
        '{"code": "opinion_as_fact", "quote": "plan"}]}\n'
    )
    results = evaluate(load_examples(path))
    assert results["spelling"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert results["jargon"]["fp"] == 1
    assert results["jargon"]["precision"] == 0.0
    assert results["opinion_as_fact"]["fn"] == 1
    assert results["opinion_as_fact"]["recall"] == 0.0
    assert results["too_long"]["precision"] == 1.0


def test_the_benchmark_reads_a_note_of_at_least_a_thousand_words():
    result = benchmark(runs=5)
    assert result["words"] >= 1000
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]


# Broader rules (after the first held-out set)


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Rang Lee, he went off on one as usual.", "went off on one"),
        ("Freddie plays staff off against each other.", "plays staff off against"),
        ("The flat is a pigsty.", "pigsty"),
        ("Karen is a poor parent.", "is a poor parent"),
        ("The previous social worker clearly did not read the file.", "did not read"),
        ("Lee missed the review again. Typical.", "Typical."),
        ("She is promiscuous.", "promiscuous"),
        ("He is a frequent flyer at the hospital.", "frequent flyer"),
        ("This plan is such a mess.", "such a mess"),
    ],
)
def test_more_disrespectful_wording_is_flagged(text, quote):
    assert any(quote in found or found in quote for found in flagged(text, "disrespectful"))


@pytest.mark.parametrize(
    "text",
    [
        "Freddie said it was typical of his sister to borrow his games.",
        "The boys were messing about in the park.",
        "Lee told me the house was a tip before he moved out.",
        "Karen said she feels she is not a good enough parent.",
        "Karen wasted no time in booking the appointment.",
    ],
)
def test_close_but_fine_wording_is_not_disrespectful(text):
    assert flagged(text, "disrespectful") == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Nan is a protective factor.", "is a protective factor"),
        ("Karen has good insight.", "has good insight"),
        ("Karen has no real bond with the baby.", "has no real bond"),
        ("Freddie is a naughty boy.", "is a naughty boy"),
        ("Karen was drunk when I arrived.", "was drunk"),
    ],
)
def test_more_opinions_written_as_fact_are_flagged(text, quote):
    assert flagged(text, "opinion_as_fact") == [quote]


def test_judgements_close_together_in_a_sentence_are_one_finding():
    text = "The relationship is abusive and Lee is controlling."
    assert flagged(text, "opinion_as_fact") == ["is abusive and Lee is controlling"]


def test_attributed_insight_is_not_an_opinion_as_fact():
    assert flagged("The health visitor said Karen has good insight.", "opinion_as_fact") == []


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        (
            "Freddie was seen alone and said he feels safe at home. He showed me his room. "
            "Freddie was spoken to on his own and told me he feels safe at home.",
            "Freddie was spoken to on his own and told me he feels safe at home.",
        ),
        (
            "Lee has not attended the last three contact sessions. Freddie asks about him. "
            "Lee missed the last three contacts and has not given a reason.",
            "Lee missed the last three contacts and has not given a reason.",
        ),
        (
            "Attendance is 78% this term. Freddie was late twice. "
            "School confirmed Freddie's attendance for the term stands at 78%.",
            "School confirmed Freddie's attendance for the term stands at 78%.",
        ),
    ],
)
def test_reworded_repeats_are_flagged(text, repeat):
    assert flagged(text, "repetition") == [repeat]


def test_an_action_list_restating_the_body_is_not_repetition():
    text = (
        "Karen asked me to ask finance to release the clothing allowance this week.\n"
        "Actions:\n- Me: ask finance to release clothing allowance, this week."
    )
    assert flagged(text, "repetition") == []


def test_a_point_revisited_with_new_information_is_not_repetition():
    text = (
        "Freddie's attendance was 82 per cent last term. Karen said mornings are hard. "
        "Since the new routine started, Freddie has been on time every day this month."
    )
    assert flagged(text, "repetition") == []


def test_a_third_party_is_flagged_once_where_first_named():
    text = "Karen's lodger Steve Kaye was in the kitchen. Mr Kaye left before I did."
    assert flagged(text, "third_party_info") == ["Steve Kaye"]


def test_service_names_are_not_peoples_names():
    text = "Karen will start the Freedom Programme and was referred to Citizens Advice."
    assert flagged(text, "third_party_info") == []


def test_an_address_with_town_and_postcode_is_one_finding():
    text = "He lives at 7 Birch Close, Tipton DY4 8QR with his mum."
    assert flagged(text, "third_party_info") == ["7 Birch Close, Tipton DY4 8QR"]


def test_a_national_insurance_number_with_any_prefix_is_flagged():
    assert flagged("Lee's NI number QQ 12 34 56 C.", "third_party_info") == [
        "NI number QQ 12 34 56 C"
    ]


def test_health_details_about_someone_outside_the_case_are_flagged():
    text = "Karen's lodger, who sleeps on the sofa, has diabetes and is under the hospital."
    assert flagged(text, "third_party_info") == ["has diabetes and is under the hospital"]
    assert flagged("Freddie has asthma and has an inhaler.", "third_party_info") == []


def test_lower_case_sections_and_service_terms_are_jargon():
    assert flagged("Freddie was accommodated under s20.", "jargon") == ["s20"]
    assert flagged("Strat held today.", "jargon") == ["Strat"]
    assert flagged("A police Merlin was received.", "jargon") == ["Merlin"]


def test_a_jargon_phrase_is_flagged_where_first_used():
    text = "Karen came to the core group. The core group agreed the plan."
    assert flagged(text, "jargon") == ["core group"]


def test_jargon_in_a_pasted_email_is_still_flagged():
    text = "From: School\nSent: 3 May 2025\nSubject: Freddie\nFreddie's EHCP review is in June."
    assert "EHCP" in flagged(text, "jargon")


def test_inflected_misspellings_and_practise_as_a_noun():
    assert flagged("The carers accomodated the request.", "spelling") == ["accomodated"]
    assert flagged("Good practise was shown.", "spelling") == ["practise"]
    assert flagged("Freddie will practise his reading.", "spelling") == []


# Broader rules (after the second held-out set)


def test_an_outlook_header_and_a_footer_after_the_body_are_separate_findings():
    text = (
        "Email from housing pasted below.\n\n"
        "From: Sarah Quinn\nSent: 22 January 2025 14:51\nTo: Kelly Marsh\nSubject: Housing\n\n"
        "Kelly, there is a two-bed available.\n\n"
        "This email has been scanned for viruses by Mimecast."
    )
    assert [p.split("\n")[0] for p in flagged(text, "pasted_email")] == [
        "From: Sarah Quinn",
        "This email has been scanned for viruses by Mimecast.",
    ]


def test_a_signature_and_a_reply_chain_belong_to_the_email_above():
    text = (
        "From: Contact Centre\nSent: 14 October 2025 10:02\nTo: Sian Holt\nSubject: RE: Contact\n\n"
        "Saturday is fine.\n\n"
        "________________________________\n"
        "From: Sian Holt\nSent: 13 October 2025 17:40\nTo: Contact Centre\nSubject: Contact\n\n"
        "Can contact move to Saturdays?\n\nKind regards\nSian Holt\nContact Officer\n"
        "Tel: 0121 496 0000"
    )
    assert len(flagged(text, "pasted_email")) == 1


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Reply below.\n\nSee you then.\n\nGet Outlook for iOS", "Get Outlook for iOS"),
        ("Mum's email:\n\nI can come at 3.\n\nSent from my Samsung Galaxy", "Sent from my"),
        ("Noted.\n\nCONFIDENTIALITY NOTICE: This email is confidential.", "CONFIDENTIALITY"),
        ("Noted.\n\nPlease consider the environment before printing this email.", "Please"),
    ],
)
def test_more_email_footers_are_found(text, start):
    assert [p[: len(start)] for p in flagged(text, "pasted_email")] == [start]


@pytest.mark.parametrize(
    "text",
    [
        "Mum sent me a text at 9pm. From what she said, the visit can go ahead.",
        "Karen said she had printed the letter and would consider the options.",
        "The school wrote to Karen on 3 May about attendance.",
    ],
)
def test_ordinary_prose_about_messages_is_not_a_pasted_email(text):
    assert flagged(text, "pasted_email") == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Chased EDT as they clearly can't be bothered to read the handover.", "can't be bothered"),
        ("Chased the duty team again. Typical of that team.", "Typical of that team."),
        ("Yet another pointless referral from school.", "Yet another pointless referral"),
        (
            "Police didn't even bother to take a statement.",
            "Police didn't even bother to take a statement",
        ),
        ("Kayla was being dramatic about contact.", "being dramatic"),
        ("The last worker left this case in a shambles.", "shambles"),
        (
            "Health visiting have done nothing for this family.",
            "Health visiting have done nothing for this family",
        ),
        ("Dad sat there saying nothing as usual.", "saying nothing as usual"),
    ],
)
def test_sneers_at_people_and_services_are_disrespectful(text, quote):
    assert flagged(text, "disrespectful") == [quote]


@pytest.mark.parametrize(
    "text",
    [
        "Sophie asked for it to be after school so she does not miss art.",
        "There has been a dramatic improvement in Freddie's attendance.",
        "The police took a statement from Karen on Tuesday.",
        "Karen said she could not be there on Monday.",
    ],
)
def test_close_but_fine_wording_about_services_is_not_disrespectful(text):
    assert flagged(text, "disrespectful") == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("It is clear Mum is using again.", "It is clear"),
        ("Freddie is clearly being coached by his mother.", "is clearly being coached"),
        ("Dad smelt of alcohol. Dad is a drinker.", "is a drinker"),
        ("Karen will not change.", "will not change"),
        ("Mum was crying crocodile tears.", "crocodile tears"),
        ("It's only a matter of time before he is excluded.", "It's only a matter of time"),
        ("Dad has never put the kids first.", "never put the kids first"),
        ("Mum was her usual aggressive self.", "her usual aggressive self"),
        ("Parents are not engaging with the plan.", "are not engaging"),
        ("He lied about where he was on Friday.", "lied about"),
        ("The home is a disgrace.", "home is a disgrace"),
        ("Mum was too lazy to get up.", "was too lazy"),
    ],
)
def test_judgements_certainties_and_predictions_are_opinions(text, quote):
    assert flagged(text, "opinion_as_fact") == [quote]


@pytest.mark.parametrize(
    "text",
    [
        "It is clear from the school's records that attendance was 86%.",
        "Karen said Lee will not change his shifts.",
        "Freddie spoke clearly and confidently about school.",
        "Mum said she is not engaging with the course because of her shifts.",
        "Freddie lay on the sofa; he had a cold.",
    ],
)
def test_evidenced_or_attributed_statements_are_not_opinions(text):
    assert flagged(text, "opinion_as_fact") == []


@pytest.mark.parametrize(
    ("text", "word", "suggestion"),
    [
        ("It made a big diffrence.", "diffrence", "difference"),
        ("Arrangments were made.", "Arrangments", "Arrangements"),
        ("Mum aknowledged this.", "aknowledged", "acknowledged"),
        ("The children fend for themselfs.", "themselfs", "themselves"),
        ("Fix the radiater.", "radiater", "radiator"),
        ("He has an apprentiship.", "apprentiship", "apprenticeship"),
        ("They were neighbors.", "neighbors", "neighbours"),
        ("The theater trip.", "theater", "theatre"),
        ("She traveled by bus.", "traveled", "travelled"),
        ("Her humor helped.", "humor", "humour"),
        ("Mum was to lazy to get up.", "to", "too"),
        ("Freya was very quite today.", "quite", "quiet"),
        ("Jordan wants to go to collage.", "collage", "college"),
        ("Mum would of come.", "of", "have"),
        ("She has a driving license.", "license", "licence"),
        ("Registered at the GP practise.", "practise", "practice"),
    ],
)
def test_more_misspellings_american_forms_and_wrong_words(text, word, suggestion):
    findings = [f for f in analyse(text) if f.code == "spelling"]
    assert [text[f.start : f.end] for f in findings] == [word]
    assert findings[0].suggestion == suggestion


@pytest.mark.parametrize(
    "text",
    [
        "Freddie was quite upset and went to his room.",
        "Freddie made a collage of photos.",
        "The pub holds a licensed premises certificate.",
        "He developed a rash. The plan was fulfilled. She carried the baby across the road.",
        "The family were homeless. Freddie is humorous. It is an honorary post.",
        "Mum wanted to go to the shop. The door was loose.",
        "The GP will advise her on medication.",
    ],
)
def test_correct_words_near_the_new_rules_are_accepted(text):
    assert flagged(text, "spelling") == []


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        (
            "Mr Kaur said Bella is now going to bed at 7.30pm and sleeping well. We talked "
            "about nursery. Mr Kaur told me that Bella goes to bed at half seven now and is "
            "sleeping well.",
            "Mr Kaur told me that Bella goes to bed at half seven now and is sleeping well.",
        ),
        (
            "Baby Ruby weighed 6.2kg. Feeding well. Weight today was 6.2kg.",
            "Weight today was 6.2kg.",
        ),
        (
            "Agreed that Dad will collect Isla from nursery on Mondays and Wednesdays. Mum is "
            "happy. It was agreed Dad would do the Monday and Wednesday nursery pick-ups.",
            "It was agreed Dad would do the Monday and Wednesday nursery pick-ups.",
        ),
    ],
)
def test_repeats_in_other_words_and_numbers_are_flagged(text, repeat):
    assert flagged(text, "repetition") == [repeat]


def test_a_new_measurement_is_not_a_repeat():
    text = "Baby Ruby weighed 6.2kg last week. Feeding well. Weight today was 6.4kg."
    assert flagged(text, "repetition") == []


def test_a_house_given_by_its_number_is_an_address():
    text = "Karen's friend, who lives next door at no. 7, helps out."
    assert flagged(text, "third_party_info") == ["lives next door at no. 7"]


@pytest.mark.parametrize(
    "text",
    [
        "Freddie's dad works at Halesowen Tyres.",
        "A letter came from Harrow & Co Solicitors.",
        "Discussed at Legal Gateway on Monday.",
        "Saved to the Document Store.",
    ],
)
def test_businesses_and_service_names_are_not_people(text):
    assert flagged(text, "third_party_info") == []


def test_an_office_mailbox_in_a_pasted_email_is_not_a_person():
    text = "From: Duty <duty@example.com>\nSent: 3 May 2025\nSubject: Freddie\n\nSeen today."
    assert flagged(text, "third_party_info") == []


def test_a_linked_professionals_signature_outside_an_email_is_not_flagged():
    config = AnalyserConfig(known_names=(*KNOWN, "Gemma Rowley"))
    text = "Late 6 times.\n\nGemma Rowley\nDirect line: 01632 960412"
    assert [f.code for f in analyse(text, config) if f.code == "third_party_info"] == []


def test_every_match_of_a_triggered_pattern_holds_one_of_its_triggers():
    # The word lists are scanned only near their trigger strings (for speed): a match without
    # one would be missed. Checked on every labelled note and on phrases from the tests above.
    from caseledger.domain.quality import disrespect, emails, jargon
    from caseledger.domain.quality.text import lowered

    folder = EVALUATION_SET.parent
    texts = [
        json.loads(line)["text"]
        for name in ("evaluation.jsonl", "holdout-1.jsonl", "holdout-2.jsonl")
        for line in (folder / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += [
        node.value
        for node in ast.walk(ast.parse(Path(__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    groups = [*disrespect._WORD_PATTERNS, *disrespect._GATED]
    groups.append((disrespect._CRITICISM_TRIGGERS, disrespect._CRITICISM, ""))
    groups.append((emails._DISCLAIMER_TRIGGERS, emails._DISCLAIMER, ""))
    groups.append((jargon._PHRASE_TRIGGERS, jargon._PHRASES, ""))
    for text in texts:
        low = lowered(text)
        for triggers, pattern, _ in groups:
            for match in pattern.finditer(low):
                assert any(t in match.group() for t in triggers), (match.group(), pattern.pattern)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Freddie is on the waiting list. Tier 3.", "Tier 3"),
        ("Housing say Karen is Band B.", "Band B"),
        ("Discussed at Legal Gateway today.", "Legal Gateway"),
    ],
)
def test_service_levels_and_legal_gateway_are_jargon(text, phrase):
    assert flagged(text, "jargon") == [phrase]


@pytest.mark.parametrize(
    "text",
    [
        "Karen is priority band B, which means a medium housing need.",
        "Freddie plays drums in a band at school.",
    ],
)
def test_an_explained_level_or_an_ordinary_band_is_not_jargon(text):
    assert flagged(text, "jargon") == []


def test_a_first_name_given_in_full_later_is_flagged_where_named_in_full():
    text = "Karen mentioned Jason. Police say Jason is likely to be Jason Tully."
    assert flagged(text, "third_party_info") == ["Jason Tully"]


# Structural opinions, reworded repeats, sneers and email boundaries


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Donna is hiding something.", "is hiding something"),
        ("The foster carers are so unreliable.", "are so unreliable"),
        ("Mum is in denial.", "in denial"),
        ("Those kids would be better off without her.", "would be better off without"),
        ("The placement is failing.", "placement is failing"),
        ("He won't ever be able to follow the plan.", "won't ever be able to follow"),
        ("The carers should never have been approved.", "should never have been approved"),
        ("This is disguised compliance.", "This is disguised compliance"),
        ("Gran is the only protective factor.", "is the only protective factor"),
    ],
)
def test_evaluative_predicates_without_attribution_are_opinions(text, quote):
    assert flagged(text, "opinion_as_fact") == [quote]


@pytest.mark.parametrize(
    "text",
    [
        "Mum said Dad is unreliable with contact times.",
        "I saw that the carers were defensive when I asked about the bruise.",
        "Mum seemed guarded because the neighbour was in the room.",
        "Is Dad unreliable?",
        "Mum won't be able to make Tuesday's meeting.",
        "There are concerns that Tanya is being exploited.",
    ],
)
def test_attributed_evidenced_or_hedged_predicates_are_not_opinions(text):
    assert flagged(text, "opinion_as_fact") == []


def test_a_label_and_a_prediction_in_one_sentence_are_two_opinions():
    text = "Dad is an alcoholic and cannot be trusted with the children."
    assert flagged(text, "opinion_as_fact") == ["is an alcoholic", "cannot be trusted"]


@pytest.mark.parametrize(
    ("text", "repeat"),
    [
        (
            "He said he feels safe at home. He told me he was happy at home and felt safe there.",
            "He told me he was happy at home and felt safe there.",
        ),
        (
            "Note: Skye was upset at the start of the day because her dog died. She sat with "
            "the TA. She was upset first thing this morning because the family dog had died.",
            "She was upset first thing this morning because the family dog had died.",
        ),
        (
            "Attendance is up to 88%. Mum has started the course. "
            "Attendance has gone up to 88% this term.",
            "Attendance has gone up to 88% this term.",
        ),
        (
            "Finley and his mum made a card for Nan's birthday. Mum brought snacks. "
            "They made a birthday card together for Nan.",
            "They made a birthday card together for Nan.",
        ),
    ],
)
def test_repeats_with_irregular_verbs_time_phrases_and_short_restatements(text, repeat):
    assert flagged(text, "repetition") == [repeat]


def test_an_actions_heading_on_its_own_line_starts_a_fresh_list():
    text = (
        "Jas will add the bench plan to Callum's behaviour support plan today.\n\n"
        "Actions and decisions.\n"
        "1. Jas will add the bench plan to Callum's behaviour support plan today."
    )
    assert flagged(text, "repetition") == []


def test_a_short_new_fact_is_not_a_repeat():
    text = "Finley made a card for Nan's birthday. Nan phoned Finley. Mum brought snacks."
    assert flagged(text, "repetition") == []


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Donna was her usual difficult self.", "her usual difficult self"),
        ("Jordan is a little liar.", "little liar"),
        ("The family are known to be scruffs.", "scruffs"),
        ("The SENCO was late and clearly hadn't read the report.", "clearly hadn't read"),
        (
            "CAMHS didn't bother turning up as per usual.",
            "CAMHS didn't bother turning up as per usual",
        ),
    ],
)
def test_sneers_and_criticism_of_colleagues_are_disrespectful(text, quote):
    assert [q for q in flagged(text, "disrespectful") if quote in q or q in quote]


@pytest.mark.parametrize(
    "text",
    [
        "Jordan's little brother was at home.",
        "The SENCO was late because of traffic and had read the report.",
        "Mum was back to her usual routine by Friday.",
    ],
)
def test_close_but_fine_wording_near_the_new_sneers_is_not_disrespectful(text):
    assert flagged(text, "disrespectful") == []


def test_a_mobile_footer_and_the_reply_marker_under_it_are_separate_findings():
    text = (
        "Sent from my iPhone\n\n"
        "> On 6 May 2025, at 21:14, Chloe Bishop <c.bishop@example.com> wrote:\n"
        "> I'm not bringing Alfie tomorrow."
    )
    assert len(flagged(text, "pasted_email")) == 2
