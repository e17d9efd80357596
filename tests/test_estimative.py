"""Estimative language: the analyst's probability words checked against one scale (unit tests)."""

from briefgen.analysis.estimative import Passage, check, confidence_words, terms_in, SCALES


def judgment(text, key="brief.judgments[0]"):
    return Passage(key, text, judgment=True, line=7, file="config.yaml")


def test_a_vague_word_in_a_judgment_is_flagged_with_file_line_and_a_suggestion():
    [finding] = check([judgment("Pyongyang may expand deliveries next quarter.")])
    assert "vague word 'may'" in finding.message
    assert str(finding).startswith("config.yaml:7: brief.judgments[0]: ")
    assert "likely" in finding.hint


def test_months_and_negated_modals_are_not_vague():
    assert check([judgment("The pact was signed in May 2024; officials could not confirm a delivery.")]) == []


def test_vague_words_outside_judgments_are_left_alone():
    assert check([Passage("sections[0].intro", "Talks may resume.")]) == []


def test_a_term_of_another_scale_is_a_mixed_scale_warning_naming_both():
    [finding] = check([judgment("A new resolution is a realistic possibility.")], scale="icd203")
    assert "realistic possibility" in finding.message and "PHIA" in finding.message and "ICD 203" in finding.message
    assert "roughly even chance" in finding.hint


def test_words_both_scales_share_are_not_mixing():
    assert check([judgment("Further talks are likely; a rupture is unlikely.")], scale="phia") == []


def test_a_strong_judgment_on_weak_claims_is_flagged_naming_the_claim():
    findings = check([judgment("A delivery almost certainly took place [@arms-claim].")],
                     credibility={"arms-claim": 5})
    assert len(findings) == 1
    assert "'almost certainly'" in findings[0].message and "'arms-claim' (credibility 5)" in findings[0].message


def test_a_strong_judgment_with_one_well_corroborated_claim_passes():
    assert check([judgment("It is very likely [@arms-claim; @pact].")],
                 credibility={"arms-claim": 5, "pact": 2}) == []


def test_a_moderate_term_on_weak_claims_passes():
    assert check([judgment("A delivery is likely [@arms-claim].")], credibility={"arms-claim": 5}) == []


def test_longest_expression_wins_and_unlikely_is_not_likely():
    found = [t.words for _, t in terms_in("It is very likely, not unlikely.", SCALES["icd203"])]
    assert found == ["very likely", "unlikely"]


def test_confidence_is_read_apart_from_likelihood():
    assert confidence_words("We assess with moderate confidence; High confidence that…") == ["moderate", "high"]
