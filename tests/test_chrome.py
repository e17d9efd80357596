"""Site chrome never reaches a brief: on the seeds, on other sites' chrome, and by the rules."""

from __future__ import annotations


import pytest

from briefgen.ingest.chrome import Cleaner, normalize
from conftest import SHARED

SEED_DEBRIS = [  # web debris found in seeds/
    "Leave a Reply", "Your email address will not be published", "Required fields", "0 Comments",
    "Inline Feedbacks", "View all comments", "Share this article", "Share this post", "Shareable URL",
    "Prev Post", "Next Post", "Read next", "Continue Reading", "Connect with us", "Click to comment",
    "Articles You May Like", "You can also read about", "Facebook Community", "Article By Deby T",
    "Your Trusted Source", "Tech News Summary", "One thought on",
    "Critical Analysis of Recent Indie Box Office Hits", "Power Ballad by Lionsgate",
    "Canada-India Relations Strained", "Writers Guild of America", "India's New Name",
    "Trending",
]
OTHER_DEBRIS = [  # chrome of other kinds, in tests/data/drought/articles
    "Skip to main content", "Menu", "Home > Region", "By Jane Morel", "4 min read", "We use cookies",
    "Credit: Paul Ennis", "Advertisement", "Sign up for our daily newsletter", "Get the top stories",
    "Related Stories", "Heatwave Breaks June Records", "All rights reserved", "Tags: agriculture",
    "Share on Facebook", "Most Read", "Five Ways to Save Water", "Follow us on Telegram",
]


def _outputs(built) -> dict[str, str]:
    return {"pdf": built.pdf_text, "html": built.html, "json": str(built.data)}


@pytest.mark.parametrize("phrase", SEED_DEBRIS)
def test_seed_debris_reaches_no_output(sample, phrase):
    for fmt, text in _outputs(sample).items():
        assert phrase.lower() not in text.lower(), (fmt, phrase)


def test_image_caption_is_not_a_paragraph(sample):
    paragraphs = sample.articles["meeting-preview"].text.split("\n\n")
    assert "Kim Jong Un and Vladimir Putin" not in paragraphs
    assert paragraphs[0].startswith("According to reports, Kim Jong Un")


@pytest.mark.parametrize("phrase", OTHER_DEBRIS)
def test_other_sites_chrome_reaches_no_output(drought, phrase):
    for fmt, text in _outputs(drought).items():
        assert phrase.lower() not in text.lower(), (fmt, phrase)


def test_article_text_keeps_the_prose_around_the_chrome(drought):
    text = drought.articles["utility-rationing"].text
    assert text.startswith("The city of Varenna will ration tap water from Monday")
    assert "Households will receive water for twelve hours a day" in text
    assert text.endswith("warned that irrigation limits would hit the grain harvest.")
    assert drought.articles["utility-rationing"].title == "Varenna Orders Water Rationing as Lake Ardon Falls to Record Low"


def test_headline_is_found_below_site_furniture(sample):
    titles = {a.id: a.title for a in sample.articles.values()}
    assert titles["summit-invitation"].startswith("Putin's North Korea visit")  # not "Connect with us"
    assert titles["kim-follow-up"].startswith("Kim Jong-un Takes Action")  # not the site slogan


def test_prose_that_mentions_ui_words_is_kept():
    raw = ("Ministers Meet on Budget\n\n"
           "The ministry declined to comment on the report, saying an investigation was under way.\n\n"
           "Officials said they would share the findings with parliament next month.\n\n"
           "He said: \"We will not back down.\"\n\n"
           "Advertisement\n\nShare on X\n")
    cleaned = Cleaner().clean(raw)
    assert cleaned.title == "Ministers Meet on Budget"
    assert "declined to comment on the report" in cleaned.body
    assert "share the findings with parliament" in cleaned.body
    assert "Advertisement" not in cleaned.body and "Share on X" not in cleaned.body
    assert cleaned.removed == ("Advertisement", "Share on X")


def test_bullets_are_kept_as_sentences_without_their_markers():
    raw = "A Headline About Water Policy\n\nSummary:\n\n  • The council approved the new water tariff on Monday evening.\n"
    cleaned = Cleaner().clean(raw)
    assert cleaned.body == "The council approved the new water tariff on Monday evening."


def test_hard_wrapped_files_are_joined_into_paragraphs():
    raw = ("Council Votes on Water Tariff\n\n"
           "The council voted on Tuesday to raise the water tariff by eight percent from\n"
           "January, after a debate that lasted late into the evening and divided the\n"
           "governing coalition along familiar lines over the cost of living.\n\n"
           "The opposition said the increase would fall hardest on large families who\n"
           "cannot cut their consumption much further than they already have this year.\n")
    body = Cleaner().clean(raw).body
    assert body.split("\n\n")[0].endswith("over the cost of living.")
    assert len(body.split("\n\n")) == 2


def test_config_rules_extend_and_override_the_defaults():
    raw = ("Harbour Reopens After Storm\n\n"
           "The harbour reopened to shipping on Sunday after three days of closure.\n\n"
           "EDITOR'S PICK: the best photos of the week, chosen by our staff.\n\n"
           "Menu of the day\n")
    plain = Cleaner().clean(raw)
    assert "EDITOR'S PICK" in plain.body
    tuned = Cleaner(drop=[r"^editor's pick"], keep=[r"^menu of the day$"], min_words=3).clean(raw)
    assert "EDITOR'S PICK" not in tuned.body and "Menu of the day" in tuned.body


def test_normalize_straightens_quotes_and_collapses_spaces_keeping_the_raw_text(sample):
    assert normalize("\u201cYes,\u201d  she\u00a0said \u2019twice\u2019 ") == "\"Yes,\" she said 'twice'"
    article = sample.articles["partnership-signed"]
    assert "\u201c" in article.raw and "\u201c" not in article.text


# --- a share bar mid-article, question headlines (issue 18) ------------------------------
WIKINEWS_2020 = SHARED / "corpus" / "wikinews" / "wikinews_2020.csv"


def _wikinews(n: int) -> tuple[str, list[str]]:
    """Title and paragraphs of the n-th 2020 Wikinews article (CC BY 2.5, Wikinews contributors)."""
    import csv

    csv.field_size_limit(10**9)
    with WIKINEWS_2020.open(encoding="utf-8") as f:
        row = list(csv.DictReader(f))[n]
    return row["title"], [normalize(p) for p in row["text"].split("\n") if p.strip()]


@pytest.mark.skipif(not WIKINEWS_2020.is_file(), reason="the shared Wikinews corpus is not beside the project")
@pytest.mark.parametrize("n", [3, 10, 25])
def test_a_share_line_mid_article_keeps_every_later_paragraph(n):
    title, paragraphs = _wikinews(n)
    raw = "\n\n".join([title, *paragraphs[:1], "Share this article", *paragraphs[1:]])
    cleaned = Cleaner().clean(raw)
    kept = cleaned.body.split("\n\n")
    assert [p for p in paragraphs if p not in kept] == [], "article paragraphs were dropped after the share line"
    assert "Share this article" in cleaned.removed


def test_a_comment_block_at_the_end_is_still_chrome():
    raw = ("Water Rationing Begins\n\n" + "The utility began rationing tap water on Monday after the reservoir "
           "fell to its lowest level in thirty years, officials said.\n\nLeave a Reply\n\nGreat points, thanks.\n\n"
           "Totally agree with this.")
    kept = Cleaner().clean(raw).body
    assert "Great points" not in kept and "Totally agree" not in kept


def test_a_headline_ending_in_a_question_mark_is_the_headline():
    title, paragraphs = _wikinews(3) if WIKINEWS_2020.is_file() else ("", ["A long enough paragraph of prose."] * 3)
    raw = "\n\n".join(["Is the burial delayed again?", *paragraphs])
    cleaned = Cleaner().clean(raw)
    assert cleaned.title == "Is the burial delayed again?"
    assert "Is the burial delayed again?" not in cleaned.body


SHARE_MID = ("Port Authority Extends Night Shifts\n\n"
             "The port authority said on Tuesday that night shifts would continue through March.\n\n"
             "Share this article\n\n"
             "Dock workers welcomed the extra pay but asked for more staff.\n\n"
             "Officials expect cargo volumes to rise by a fifth this year.\n\n"
             "The union will vote on the offer next week.\n")


def test_short_paragraphs_after_a_share_line_are_kept():
    body = Cleaner().clean(SHARE_MID).body
    assert "Share this article" not in body
    for sentence in ("asked for more staff", "rise by a fifth", "vote on the offer"):
        assert sentence in body, sentence


def test_a_share_line_under_a_masthead_keeps_the_article():
    cleaned = Cleaner().clean("THE DAILY HARBOUR\n\nNews | Business\n\n" + SHARE_MID)
    assert "asked for more staff" in cleaned.body and "union will vote on the offer" in cleaned.body


def test_a_comment_thread_after_the_article_is_still_chrome():
    raw = (SHARE_MID.replace("Share this article\n\n", "") + "\nLeave a Reply\n\n"
           "Jane says:\n\nMarch 3, 2024 at 9:12\n\nGreat piece, thanks!\n\nReply\n")
    body = Cleaner().clean(raw).body
    assert "Great piece" not in body and "vote on the offer" in body
